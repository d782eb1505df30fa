package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.MutableClock;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leases, reassignment, attempt caps, late results and deadlines, on a fake clock. */
class LeaseTest {
  private final MutableClock clock = new MutableClock();
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final CountingLedger ledger = new CountingLedger();
  private final InProcessTransport transport = InProcessTransport.create();
  private final Pool pool =
      Coordinator.builder()
          .kind(echo)
          .transport(transport.coordinator())
          .clock(clock)
          .ledger(ledger)
          .leaseDuration(Duration.ofSeconds(10))
          .tickInterval(Duration.ofMillis(2))
          .build();

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  private ScriptedWorker worker(String id) {
    return new ScriptedWorker(transport.worker(), id, "owner-" + id, Set.of("echo"));
  }

  private void expire(ScriptedWorker w) {
    clock.advance(Duration.ofSeconds(11));
    Eventually.until(w.id + " is dropped", () -> w.closed);
  }

  @Test
  void lostWorkersTaskGoesToAnotherWorkerAndLateResultIsIgnored() throws Exception {
    TaskHandle h = pool.submit(echo, 41L);
    ScriptedWorker a = worker("a").grant(1);
    Assignment first = a.next();
    assertThat(first.lease().attempt()).isEqualTo(1);

    expire(a);
    assertThat(a.closedWith.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.QUEUED);

    ScriptedWorker b = worker("b").grant(1);
    Assignment second = b.next();
    assertThat(second.lease().task()).isEqualTo(h.id());
    assertThat(second.lease().attempt()).isEqualTo(2);

    // the lost worker's answer arrives late, over a new connection: not its lease any more
    ScriptedWorker aAgain =
        new ScriptedWorker(transport.worker(), "a", "owner-a", Set.of("echo"), a.keys);
    aAgain.send(aAgain.result(first, TestKinds.LONG.encode(42L)));
    b.answerEcho(second);
    b.answerEcho(second); // a replay of the same answer

    TaskResult r = h.result().get(30, TimeUnit.SECONDS);
    assertThat(r.worker().value()).isEqualTo("b");
    assertThat(r.attempt()).isEqualTo(2);
    assertThat(r.output(echo)).isEqualTo(42L);
    Eventually.until("credited", () -> ledger.calls.containsKey(h.id()));
    Thread.sleep(50);
    assertThat(ledger.calls.get(h.id()).get()).isEqualTo(1);
    assertThat(ledger.totals).containsOnlyKeys("pay-b");
  }

  @Test
  void taskFailsWithClearReasonAfterItsAttemptCap() throws Exception {
    TaskHandle h =
        pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(1L)).maxAttempts(2).build());
    ScriptedWorker a = worker("a").grant(1);
    a.next();
    expire(a);
    ScriptedWorker b = worker("b").grant(1);
    assertThat(b.next().lease().attempt()).isEqualTo(2);
    expire(b);

    assertThatThrownBy(() -> h.result().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage())
                  .contains("gave up after 2 failed attempt(s)", "maxAttempts 2", "lost");
            });
    TaskStatus s = pool.status(h.id());
    assertThat(s.state()).isEqualTo(TaskState.FAILED);
    assertThat(s.attempts()).isEqualTo(2);
  }

  @Test
  void heartbeatsKeepTheLeaseAlive() throws Exception {
    TaskHandle h = pool.submit(echo, 7L);
    ScriptedWorker a = worker("a").grant(1);
    Assignment job = a.next();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(6));
      a.heartbeat();
      Thread.sleep(30);
    }
    assertThat(a.closed).isFalse();
    a.answerEcho(job);
    assertThat(h.result().get(30, TimeUnit.SECONDS).attempt()).isEqualTo(1);
  }

  @Test
  void workerErrorRetriesElsewhere() throws Exception {
    TaskHandle h = pool.submit(echo, 9L);
    ScriptedWorker a = worker("a").grant(1);
    Assignment job = a.next();
    a.send(
        a.signed(
            job,
            io.poolforge.compute.api.Bytes.EMPTY,
            new TaskStatus.Failure(ErrorCode.INTERNAL, "device fell off the bus"),
            a.keys));
    a.grant(1);
    ScriptedWorker b = worker("b").grant(1);
    Assignment retry = b.next();
    assertThat(retry.lease().attempt()).isEqualTo(2);
    assertThat(a.poll(50)).as("the failing worker is not asked again").isNull();
    b.answerEcho(retry);
    assertThat(h.result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("b");
  }

  @Test
  void expiredDeadlineFailsWithDeadlineExceeded() {
    TaskHandle h =
        pool.submit(
            TaskSpec.builder("echo", TestKinds.LONG.encode(1L))
                .deadline(Duration.ofSeconds(5))
                .build());
    clock.advance(Duration.ofSeconds(4));
    Eventually.until("a tick at t+4s", () -> true);
    assertThat(h.result()).isNotDone();
    clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(() -> h.result().get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.FAILED);
    assertThat(pool.status(h.id()).failure().code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void runningTaskPastDeadlineIsRevokedFromItsWorker() throws Exception {
    TaskHandle h =
        pool.submit(
            TaskSpec.builder("echo", TestKinds.LONG.encode(1L))
                .deadline(Duration.ofSeconds(5))
                .build());
    ScriptedWorker a = worker("a").grant(1);
    Assignment job = a.next();
    clock.advance(Duration.ofSeconds(6));
    a.heartbeat();
    Eventually.until("revoked", () -> a.revoked.contains(h.id()));
    a.answerEcho(job); // too late: ignored
    assertThatThrownBy(() -> h.result().get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    Thread.sleep(50);
    assertThat(ledger.calls).doesNotContainKey(h.id());
  }
}
