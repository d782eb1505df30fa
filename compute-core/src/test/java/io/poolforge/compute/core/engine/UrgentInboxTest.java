package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.Hold;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An urgent task's admission and its result go through the scheduler's urgent inbox: they are
 * handled ahead of a backlog of bulk commands that were queued before them.
 */
class UrgentInboxTest {
  private static final int BACKLOG = 1_000;

  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final PoolEngine pool =
      (PoolEngine) Coordinator.builder().kind(echo).transport(transport.coordinator()).build();
  private final Scheduler scheduler = pool.scheduler();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<TaskState> seenByBacklog = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    release.countDown();
    pool.close();
    transport.close();
  }

  private static TaskSpec urgentSpec() {
    return TaskSpec.builder("echo", TestKinds.LONG.encode(7L)).priority(Priority.HIGH).build();
  }

  /** Holds the loop, then queues a backlog whose commands record the task's state when they run. */
  private void holdTheLoopBehindABacklog(TaskId watched) throws InterruptedException {
    Hold.until(scheduler::post, release);
    for (int i = 0; i < BACKLOG; i++) {
      scheduler.post(() -> seenByBacklog.add(pool.status(watched).state()));
    }
  }

  @Test
  void anUrgentResultIsHandledAheadOfTheBacklog() throws Exception {
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(4);
    TaskHandle urgent = pool.submit(urgentSpec());
    Assignment a = w.next();
    holdTheLoopBehindABacklog(urgent.id());

    w.answerEcho(a);
    Eventually.until("the result reached the urgent inbox", scheduler::urgentWaiting);
    release.countDown();

    assertThat(urgent.result().get(10, TimeUnit.SECONDS).output())
        .isEqualTo(TestKinds.LONG.encode(8L));
    Eventually.until("the backlog ran", () -> seenByBacklog.size() == BACKLOG);
    assertThat(seenByBacklog)
        .as("every bulk command ran after the result")
        .containsOnly(TaskState.COMPLETED);
  }

  @Test
  void anUrgentSubmissionIsAssignedAheadOfTheBacklog() throws Exception {
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(4);
    // a first task sets up the lane (lanes gain their workers on the loop, not in a command)
    TaskHandle first = pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(1L)).build());
    w.answerEcho(w.next());
    first.result().get(10, TimeUnit.SECONDS);
    TaskId next = new TaskId(first.id().value() + 1);
    holdTheLoopBehindABacklog(next);

    TaskHandle urgent = pool.submit(urgentSpec());
    assertThat(urgent.id()).isEqualTo(next);
    Eventually.until("the admission reached the urgent inbox", scheduler::urgentWaiting);
    release.countDown();

    Assignment a = w.next();
    assertThat(a.lease().task()).isEqualTo(urgent.id());
    Eventually.until("the backlog ran", () -> seenByBacklog.size() == BACKLOG);
    assertThat(seenByBacklog)
        .as("the task was placed before any bulk command ran")
        .containsOnly(TaskState.RUNNING);
  }
}
