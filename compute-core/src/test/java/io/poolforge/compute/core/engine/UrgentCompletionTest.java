package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.Hold;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The urgent path around the scheduler: an urgent task's future completes on the pool's own urgent
 * completion thread, so it does not wait behind bulk completions on the executor; and with the
 * in-memory store, a submission is written on the submitter's thread.
 */
class UrgentCompletionTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final InMemoryTaskStore store = new InMemoryTaskStore();
  private final Pool pool =
      Coordinator.builder()
          .kind(echo)
          .transport(transport.coordinator())
          .executor(executor)
          .taskStore(store)
          .build();

  @AfterEach
  void close() {
    release.countDown();
    pool.close();
    transport.close();
    executor.shutdownNow();
  }

  private static TaskSpec spec(long input, int priority) {
    return TaskSpec.builder("echo", TestKinds.LONG.encode(input)).priority(priority).build();
  }

  @Test
  void anUrgentFutureCompletesWhileTheExecutorIsHeldAndABulkOneWaitsForIt() throws Exception {
    Hold.until(executor::execute, release);
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(4);

    TaskHandle bulk = pool.submit(spec(1, Priority.NORMAL));
    w.answerEcho(w.next());
    TaskHandle urgent = pool.submit(spec(7, Priority.HIGH));
    w.answerEcho(w.next());

    assertThat(urgent.result().get(10, TimeUnit.SECONDS).output())
        .isEqualTo(TestKinds.LONG.encode(8L));
    Eventually.until(
        "the bulk task is done", () -> pool.status(bulk.id()).state() == TaskState.COMPLETED);
    Thread.sleep(50);
    assertThat(bulk.result()).as("its completion waits for the held executor").isNotDone();
    release.countDown();
    assertThat(bulk.result().get(10, TimeUnit.SECONDS).output())
        .isEqualTo(TestKinds.LONG.encode(2L));
  }

  @Test
  void theInMemoryStoreHasTheTaskWhenSubmitReturns() {
    for (int i = 0; i < 100; i++) {
      TaskHandle h = pool.submit(spec(i, i % 2 == 0 ? Priority.NORMAL : Priority.HIGH));
      assertThat(h.accepted()).as("accepted at once, submission %d", i).isDone();
      assertThat(store.get(h.id()).map(TaskRecord::id)).contains(h.id());
    }
  }
}
