package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many submitter threads while workers join, drain, crash and hang at random: every acknowledged
 * task completes exactly once (one successful future, one completion event, one credit).
 */
class ChurnStressTest {
  private static final int SUBMITTERS = 4;
  private static final int PER_SUBMITTER = 150;

  @Test
  void everyAcknowledgedTaskCompletesExactlyOnce() throws Exception {
    TestKinds.Echo echo = new TestKinds.Echo();
    CountingLedger ledger = new CountingLedger();
    Map<TaskId, AtomicInteger> completions = new ConcurrentHashMap<>();
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .transport(transport.coordinator())
                .ledger(ledger)
                .leaseDuration(Duration.ofSeconds(2))
                .tickInterval(Duration.ofMillis(20))
                .build()) {
      pool.events()
          .subscribe(
              new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(PoolEvent e) {
                  if (e instanceof PoolEvent.TaskCompleted c) {
                    completions
                        .computeIfAbsent(c.result().id(), k -> new AtomicInteger())
                        .incrementAndGet();
                  }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      List<WorkerNode> workers = new CopyOnWriteArrayList<>();
      AtomicInteger names = new AtomicInteger();
      Runnable spawn =
          () ->
              workers.add(
                  WorkerNode.builder()
                      .id("w" + names.incrementAndGet())
                      .owner("o" + names.get())
                      .transport(transport.worker())
                      .kind(echo)
                      .backend(new TestBackend(Set.of("echo")))
                      .slots(2)
                      .window(32)
                      .heartbeatInterval(Duration.ofMillis(100))
                      .build()
                      .start());
      for (int i = 0; i < 3; i++) {
        spawn.run();
      }
      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicInteger churnEvents = new AtomicInteger();
      Thread churn =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Random random = new Random(7);
                    while (churning.get()) {
                      try {
                        Thread.sleep(40);
                      } catch (InterruptedException e) {
                        return;
                      }
                      if (workers.size() > 2) {
                        WorkerNode victim = workers.remove(random.nextInt(workers.size()));
                        switch (random.nextInt(3)) {
                          case 0 -> victim.abort();
                          case 1 -> victim.close();
                          default -> victim.freeze();
                        }
                        churnEvents.incrementAndGet();
                      }
                      if (workers.size() < 5) {
                        spawn.run();
                      }
                    }
                  });
      List<TaskHandle> handles = new CopyOnWriteArrayList<>();
      Map<TaskId, Long> inputs = new ConcurrentHashMap<>();
      List<Thread> submitters = new ArrayList<>();
      for (int s = 0; s < SUBMITTERS; s++) {
        int submitter = s;
        submitters.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < PER_SUBMITTER; i++) {
                        long input = submitter * 1_000_000L + i;
                        TaskHandle h =
                            pool.submit(
                                TaskSpec.builder("echo", TestKinds.LONG.encode(input))
                                    .submitter("s" + submitter)
                                    .maxAttempts(100)
                                    .build());
                        inputs.put(h.id(), input);
                        handles.add(h);
                      }
                    }));
      }
      for (Thread t : submitters) {
        t.join();
      }
      assertThat(handles).hasSize(SUBMITTERS * PER_SUBMITTER);
      for (TaskHandle h : handles) {
        assertThat(h.accepted()).isCompleted();
        assertThat(h.result().get(120, TimeUnit.SECONDS).output(echo))
            .isEqualTo(inputs.get(h.id()) + 1);
      }
      churning.set(false);
      churn.join();
      assertThat(churnEvents.get()).isPositive();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((completions.size() < handles.size() || ledger.calls.size() < handles.size())
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200);
      for (TaskHandle h : handles) {
        assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(completions.get(h.id())).as("completion events of " + h.id()).hasValue(1);
        assertThat(ledger.calls.get(h.id())).as("credits of " + h.id()).hasValue(1);
      }
      workers.forEach(WorkerNode::abort);
    }
  }
}
