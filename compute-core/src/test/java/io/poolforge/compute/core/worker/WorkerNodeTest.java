package io.poolforge.compute.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WorkerNodeTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final TestKinds.Block block = new TestKinds.Block();

  @Test
  void declaresWhatItsBackendsRunAndDrainsOnClose() throws Exception {
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .kind(block)
                .transport(transport.coordinator())
                .build()) {
      WorkerNode node =
          WorkerNode.builder()
              .id("drainer")
              .owner("me")
              .payoutAddress("0xabc")
              .transport(transport.worker())
              .kind(echo)
              .kind(block)
              .kind(new TestKinds.RangeSum()) // no backend runs it: not declared
              .backend(new TestBackend(Set.of("echo", "block")))
              .slots(2)
              .tags(Set.of("eu"))
              .build();
      assertThat(node.info().capabilities().kinds()).containsExactlyInAnyOrder("echo", "block");
      assertThat(node.info().capabilities().backends()).containsExactly("test-cpu");
      assertThat(node.info().capabilities().deviceMemoryBytes()).isEqualTo(1L << 30);
      assertThat(node.info().capabilities().tags()).containsExactly("eu");
      node.start();
      Eventually.until("registered", () -> pool.workers().size() == 1);

      List<TaskHandle> held = new ArrayList<>();
      for (long i = 0; i < 2; i++) {
        held.add(pool.submit(block, i));
      }
      Eventually.until(
          "both running",
          () ->
              block.release.getCount() == 1
                  && block.started.get() == 2 // the worker holds both, not only the coordinator
                  && node.completed() == 0
                  && held.stream()
                      .allMatch(
                          h ->
                              pool.status(h.id()).state()
                                  == io.poolforge.compute.api.TaskState.RUNNING));
      Thread closer = Thread.ofPlatform().start(node::close); // drains: waits for the held work
      Thread.sleep(100);
      assertThat(closer.isAlive()).isTrue();
      block.release.countDown();
      closer.join(30_000);
      for (TaskHandle h : held) {
        TaskResult r = h.result().get(30, TimeUnit.SECONDS);
        assertThat(r.attempt()).as("finished by the draining worker, not reassigned").isEqualTo(1);
        assertThat(r.worker().value()).isEqualTo("drainer");
      }
      Eventually.until("deregistered", () -> pool.workers().isEmpty());
    }
  }

  @Test
  void refusesToBuildWithoutTransportKindsOrAMatchingBackend() {
    InProcessTransport transport = InProcessTransport.create();
    assertThatThrownBy(() -> WorkerNode.builder().kind(echo).build())
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("transport"));
    assertThatThrownBy(() -> WorkerNode.builder().transport(transport.worker()).build())
        .isInstanceOfSatisfying(PoolException.class, e -> assertThat(e.field()).isEqualTo("kinds"));
    assertThatThrownBy(
            () ->
                WorkerNode.builder()
                    .transport(transport.worker())
                    .kind(echo)
                    .backend(new TestBackend(Set.of("block")))
                    .build())
        .isInstanceOfSatisfying(PoolException.class, e -> assertThat(e.field()).isEqualTo("kinds"));
    // compute-core has no ComputeBackendProvider on its class path: discovery finds none
    assertThatThrownBy(() -> WorkerNode.builder().transport(transport.worker()).kind(echo).build())
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThatThrownBy(() -> WorkerNode.builder().slots(0))
        .isInstanceOfSatisfying(PoolException.class, e -> assertThat(e.field()).isEqualTo("slots"));
    assertThatThrownBy(() -> WorkerNode.builder().slots(2).slots(3))
        .isInstanceOf(IllegalStateException.class);
    transport.close();
  }

  @Test
  void connectingWithoutACoordinatorIsUnavailable() {
    InProcessTransport transport = InProcessTransport.create();
    WorkerNode node =
        WorkerNode.builder()
            .transport(transport.worker())
            .kind(echo)
            .backend(new TestBackend(Set.of("echo")))
            .build();
    assertThatThrownBy(node::start)
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    transport.close();
  }

  @Test
  void anUrgentTaskRunsBesideABusySlotAndBeforeAFullQueue() throws Exception {
    List<Long> ran = new CopyOnWriteArrayList<>();
    Map<Long, Integer> threadPriority = new ConcurrentHashMap<>();
    TestBackend inner = new TestBackend(Set.of("echo", "block"));
    ComputeBackend recording =
        hooked(
            inner,
            inputs -> {
              for (Object in : inputs) {
                ran.add((Long) in);
                threadPriority.put((Long) in, Thread.currentThread().getPriority());
              }
            });
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .kind(block)
                .transport(transport.coordinator())
                .build()) {
      WorkerNode node =
          WorkerNode.builder()
              .id("one-slot")
              .transport(transport.worker())
              .kind(echo)
              .kind(block)
              .backend(recording)
              .slots(1)
              .window(16)
              .build()
              .start();
      Eventually.until("registered", () -> pool.workers().size() == 1);
      TaskHandle gate = pool.submit(block, 0L);
      Eventually.until("the gate runs", () -> ran.contains(0L));
      List<TaskHandle> normal = new ArrayList<>();
      for (long i = 100; i < 106; i++) {
        normal.add(pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(i)).build()));
      }
      Eventually.until(
          "the normal tasks wait in the worker's queue",
          () -> normal.stream().allMatch(h -> pool.status(h.id()).state() == TaskState.RUNNING));
      Eventually.until(
          "six normal tasks wait in the worker's queue", () -> node.queuedTasks() == 6);
      TaskHandle urgent =
          pool.submit(
              TaskSpec.builder("echo", TestKinds.LONG.encode(999L)).priority(Priority.MAX).build());
      // the only slot is still busy with the gate: the urgent task runs beside it
      assertThat(urgent.result().get(30, TimeUnit.SECONDS).output(echo)).isEqualTo(1000L);
      assertThat(ran)
          .as("the urgent task ran while the slot was busy, before the queued ones")
          .containsExactly(0L, 999L);
      assertThat(gate.result()).isNotDone();
      assertThat(node.queuedTasks()).isEqualTo(6);
      block.release.countDown();
      for (TaskHandle h : normal) {
        h.result().get(30, TimeUnit.SECONDS);
      }
      gate.result().get(30, TimeUnit.SECONDS);
      assertThat(ran).hasSize(8);
      assertThat(ran.subList(2, 8)).containsExactly(100L, 101L, 102L, 103L, 104L, 105L);
      assertThat(threadPriority)
          .as("bulk batches run below normal priority, the urgent batch above it")
          .containsEntry(0L, Thread.MIN_PRIORITY)
          .containsEntry(100L, Thread.MIN_PRIORITY)
          .containsEntry(999L, Thread.MAX_PRIORITY);
      node.close();
    }
  }

  @Test
  void anUrgentTaskRunsOnTheUrgentRunnerEvenWhenASlotIsFree() throws Exception {
    Map<Long, String> threadName = new ConcurrentHashMap<>();
    Map<Long, Integer> threadPriority = new ConcurrentHashMap<>();
    ComputeBackend recording =
        hooked(
            new TestBackend(Set.of("echo")),
            inputs -> {
              for (Object in : inputs) {
                threadName.put((Long) in, Thread.currentThread().getName());
                threadPriority.put((Long) in, Thread.currentThread().getPriority());
              }
            });
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool = Coordinator.builder().kind(echo).transport(transport.coordinator()).build()) {
      WorkerNode node =
          WorkerNode.builder()
              .id("idle-slots")
              .transport(transport.worker())
              .kind(echo)
              .backend(recording)
              .slots(2)
              .build()
              .start();
      Eventually.until("registered", () -> pool.workers().size() == 1);
      for (long i = 0; i < 20; i++) { // one at a time: every slot is idle when each arrives
        pool.submit(
                TaskSpec.builder("echo", TestKinds.LONG.encode(i)).priority(Priority.MAX).build())
            .result()
            .get(30, TimeUnit.SECONDS);
        Thread.sleep(
            10); // the urgent runner is done with the last one (else a free slot may run it)
      }
      pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(100L)).build())
          .result()
          .get(30, TimeUnit.SECONDS);
      long onUrgentRunner = 0;
      for (long i = 0; i < 20; i++) {
        if (threadName.get(i).endsWith("-urgent")) {
          onUrgentRunner++;
          assertThat(threadPriority.get(i)).isEqualTo(Thread.MAX_PRIORITY);
        }
      }
      // a slot takes an urgent job only while the urgent runner is busy, here at most by a race
      assertThat(onUrgentRunner).as("urgent tasks run on the urgent runner").isGreaterThan(15);
      assertThat(threadName.get(100L)).contains("-run-");
      node.close();
    }
  }

  @Test
  void resultsOfBackToBackCheapJobsShareOneSignature() throws Exception {
    List<List<WorkResult>> sent = new CopyOnWriteArrayList<>();
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .kind(block)
                .transport(transport.coordinator())
                .maxBatch(1) // every task is its own assignment, so its own job on the worker
                .build()) {
      WorkerTransport inner = transport.worker();
      WorkerTransport recording =
          new WorkerTransport() {
            @Override
            public WorkerConnection connect(Registration registration, WorkerListener listener) {
              WorkerConnection c = inner.connect(registration, listener);
              return new WorkerConnection() {
                @Override
                public void grant(int credits) {
                  c.grant(credits);
                }

                @Override
                public void sendResults(List<WorkResult> results) {
                  sent.add(List.copyOf(results));
                  c.sendResults(results);
                }

                @Override
                public void heartbeat(Heartbeat heartbeat) {
                  c.heartbeat(heartbeat);
                }

                @Override
                public void checkpoint(LeaseRef lease, Bytes state) {
                  c.checkpoint(lease, state);
                }

                @Override
                public void close() {
                  c.close();
                }
              };
            }

            @Override
            public void close() {
              inner.close();
            }
          };
      WorkerNode node =
          WorkerNode.builder()
              .id("grouper")
              .transport(recording)
              .kind(echo)
              .kind(block)
              .backend(new TestBackend(Set.of("echo", "block")))
              .slots(1)
              .window(16)
              .build()
              .start();
      Eventually.until("registered", () -> pool.workers().size() == 1);
      TaskHandle gate = pool.submit(block, 0L);
      Eventually.until("the gate runs", () -> pool.status(gate.id()).state() == TaskState.RUNNING);
      List<TaskHandle> cheap = new ArrayList<>();
      for (long i = 1; i <= 8; i++) {
        cheap.add(pool.submit(echo, i));
      }
      Eventually.until("the cheap jobs wait in the worker's queue", () -> node.queuedTasks() == 8);
      block.release.countDown();
      for (TaskHandle h : cheap) {
        assertThat(h.result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("grouper");
      }
      gate.result().get(30, TimeUnit.SECONDS);
      node.close();
    }
    assertThat(sent.stream().mapToInt(List::size).sum()).isEqualTo(9);
    for (List<WorkResult> batch : sent) {
      // one signature and one tree per send, each result with its own place in it
      assertThat(batch).extracting(WorkResult::signature).containsOnly(batch.get(0).signature());
      for (int i = 0; i < batch.size(); i++) {
        assertThat(batch.get(i).proof().index()).isEqualTo(i);
        assertThat(batch.get(i).proof().size()).isEqualTo(batch.size());
      }
    }
    assertThat(sent)
        .as("eight one-task jobs queued back to back are not signed one by one")
        .hasSizeLessThan(9);
  }

  @Test
  void returnsCreditInPiecesOfAtLeastAQuarterWindowWhileJobsAreQueued() throws Exception {
    List<Integer> grants = new CopyOnWriteArrayList<>();
    TestBackend inner = new TestBackend(Set.of("echo", "block"));
    ComputeBackend slow =
        hooked(
            inner,
            inputs -> {
              // longer than the worker's 1 ms result grouping: every job ends in its own flush
              try {
                Thread.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .kind(block)
                .transport(transport.coordinator())
                .maxBatch(1) // every task is its own assignment, so its own job on the worker
                .build()) {
      WorkerTransport inner2 = transport.worker();
      WorkerTransport counting =
          new WorkerTransport() {
            @Override
            public WorkerConnection connect(Registration registration, WorkerListener listener) {
              WorkerConnection c = inner2.connect(registration, listener);
              return new WorkerConnection() {
                @Override
                public void grant(int credits) {
                  grants.add(credits);
                  c.grant(credits);
                }

                @Override
                public void sendResults(List<WorkResult> results) {
                  c.sendResults(results);
                }

                @Override
                public void heartbeat(Heartbeat heartbeat) {
                  c.heartbeat(heartbeat);
                }

                @Override
                public void checkpoint(LeaseRef lease, Bytes state) {
                  c.checkpoint(lease, state);
                }

                @Override
                public void close() {
                  c.close();
                }
              };
            }

            @Override
            public void close() {
              inner2.close();
            }
          };
      int window = 64;
      WorkerNode node =
          WorkerNode.builder()
              .id("coalescer")
              .transport(counting)
              .kind(echo)
              .kind(block)
              .backend(slow)
              .slots(1)
              .window(window)
              .heartbeatInterval(java.time.Duration.ofMinutes(10)) // only flushes return credit
              .build()
              .start();
      Eventually.until("registered", () -> pool.workers().size() == 1);
      assertThat(grants).containsExactly(window);
      TaskHandle gate = pool.submit(block, 0L);
      Eventually.until("the gate runs", () -> pool.status(gate.id()).state() == TaskState.RUNNING);
      // the coordinator keeps one credit of the window for urgent tasks: 62 normal ones fit
      List<TaskHandle> queued = new ArrayList<>();
      for (long i = 1; i <= window - 2; i++) {
        queued.add(pool.submit(echo, i));
      }
      Eventually.until(
          "62 one-task jobs wait in the worker's queue", () -> node.queuedTasks() == window - 2);
      grants.clear();
      block.release.countDown();
      for (TaskHandle h : queued) {
        h.result().get(30, TimeUnit.SECONDS);
      }
      gate.result().get(30, TimeUnit.SECONDS);
      Eventually.until(
          "all credit returned",
          () -> grants.stream().mapToInt(Integer::intValue).sum() == window - 1);
      List<Integer> seen = List.copyOf(grants);
      assertThat(seen)
          .as("63 jobs, each flushed on its own, return credit in a few messages: %s", seen)
          .hasSizeLessThanOrEqualTo(4);
      assertThat(seen.subList(0, seen.size() - 1))
          .as("while jobs were queued, every piece is at least a quarter window")
          .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(window / 4));
      node.close();
    }
  }

  /**
   * A backend that runs {@code hook} on each batch's inputs, then lets {@code inner} compute it.
   */
  private static ComputeBackend hooked(TestBackend inner, Consumer<List<?>> hook) {
    return new ComputeBackend() {
      @Override
      public String id() {
        return inner.id();
      }

      @Override
      public List<DeviceInfo> devices() {
        return inner.devices();
      }

      @Override
      public Set<String> kinds() {
        return inner.kinds();
      }

      @Override
      public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
        hook.accept(inputs);
        return inner.execute(kind, inputs, context);
      }

      @Override
      public void close() {}
    };
  }
}
