package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.BreakableTransport;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.MutableClock;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconnect grace, on a fake clock: a worker whose connection broke keeps its leases for the
 * grace only (a lease of 60 s would otherwise keep a dead worker's tasks waiting a minute), a clean
 * close loses at once, and a late answer after the grace is never credited.
 */
class ReconnectGraceTest {
  private final MutableClock clock = new MutableClock();
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final CountingLedger ledger = new CountingLedger();
  private final BreakableTransport transport = new BreakableTransport();
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private Pool pool;

  private void start(Coordinator.Builder builder) {
    pool =
        builder
            .kind(echo)
            .transport(transport)
            .clock(clock)
            .ledger(ledger)
            .tickInterval(Duration.ofMillis(2))
            .build();
    pool.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(PoolEvent item) {
                events.add(item);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
  }

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  private ScriptedWorker worker(String id) {
    return new ScriptedWorker(transport, id, "owner-" + id, Set.of("echo"));
  }

  private boolean left(String id) {
    return events.stream()
        .anyMatch(e -> e instanceof PoolEvent.WorkerLeft l && l.worker().value().equals(id));
  }

  /** Lets the scheduler run a few ticks at the current fake time. */
  private static void ticks() throws InterruptedException {
    Thread.sleep(60);
  }

  @Test
  void aWorkerThatReconnectsWithinTheGraceResumesItsLease() throws Exception {
    start(
        Coordinator.builder()
            .leaseDuration(Duration.ofSeconds(60))
            .reconnectGrace(Duration.ofSeconds(5)));
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = worker("a").grant(1);
    Assignment job = a.next();
    transport.breakConnection("a");
    ticks(); // the scheduler hears of the break at the current fake time
    clock.advance(Duration.ofSeconds(4));
    ticks();
    assertThat(left("a")).isFalse();
    ScriptedWorker other = worker("b").grant(1);
    ScriptedWorker again =
        new ScriptedWorker(transport, "a", "owner-a", Set.of("echo"), a.keys, List.of(job.lease()));
    ticks();
    assertThat(again.revoked).as("the lease is still valid").isEmpty();
    assertThat(other.poll(50)).as("nobody else got the task").isNull();
    again.answerEcho(job);
    TaskResult r = h.result().get(30, TimeUnit.SECONDS);
    assertThat(r.worker().value()).isEqualTo("a");
    assertThat(r.attempt()).isEqualTo(1);
    Eventually.until("credited", () -> ledger.calls.containsKey(h.id()));
    assertThat(ledger.calls.get(h.id()).get()).isEqualTo(1);
  }

  @Test
  void afterTheGraceTheTasksGoElsewhereLongBeforeTheLeaseRunsOut() throws Exception {
    start(
        Coordinator.builder()
            .leaseDuration(Duration.ofSeconds(60))
            .reconnectGrace(Duration.ofSeconds(2)));
    TaskHandle h = pool.submit(echo, 41L);
    ScriptedWorker a = worker("a").grant(1);
    Assignment first = a.next();
    ScriptedWorker b = worker("b").grant(1);
    transport.breakConnection("a");
    ticks();
    assertThat(b.poll(20)).as("held for the grace").isNull();
    clock.advance(Duration.ofMillis(2_100)); // far less than the 60 s lease
    Assignment second = b.next();
    assertThat(second.lease().task()).isEqualTo(h.id());
    assertThat(second.lease().attempt()).isEqualTo(2);
    Eventually.until("a left", () -> left("a"));
    assertThat(
            events.stream()
                .filter(e -> e instanceof PoolEvent.WorkerLeft l && l.worker().value().equals("a"))
                .map(e -> ((PoolEvent.WorkerLeft) e).reason())
                .findFirst()
                .orElseThrow())
        .contains("reconnect grace", "PT2S");

    // the old worker comes back late, presenting its void lease, and answers it anyway
    ScriptedWorker late =
        new ScriptedWorker(
            transport, "a", "owner-a", Set.of("echo"), a.keys, List.of(first.lease()));
    Eventually.until("the void lease is revoked", () -> late.revoked.contains(h.id()));
    late.answerEcho(first);
    b.answerEcho(second);
    TaskResult r = h.result().get(30, TimeUnit.SECONDS);
    assertThat(r.worker().value()).isEqualTo("b");
    assertThat(r.attempt()).isEqualTo(2);
    Eventually.until("credited", () -> ledger.calls.containsKey(h.id()));
    late.answerEcho(first); // and once more, after the completion
    ticks();
    assertThat(ledger.calls.get(h.id()).get()).as("credited once").isEqualTo(1);
    assertThat(ledger.totals).containsOnlyKeys("pay-b");
  }

  @Test
  void theDefaultGraceIsFiveSeconds() throws Exception {
    start(Coordinator.builder().leaseDuration(Duration.ofSeconds(60)));
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = worker("a").grant(1);
    a.next();
    transport.breakConnection("a");
    ticks(); // the scheduler hears of the break at the current fake time
    clock.advance(Duration.ofMillis(4_900));
    ticks();
    assertThat(left("a")).isFalse();
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.RUNNING);
    clock.advance(Duration.ofMillis(200));
    Eventually.until("a left", () -> left("a"));
    Eventually.until("requeued", () -> pool.status(h.id()).state() == TaskState.QUEUED);
  }

  @Test
  void aSecondReportOfTheSameBreakDoesNotRestartTheGrace() throws Exception {
    start(Coordinator.builder().leaseDuration(Duration.ofSeconds(60)));
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = worker("a").grant(1);
    a.next();
    transport.breakConnection("a");
    ticks();
    clock.advance(Duration.ofSeconds(3));
    transport.reportBreakAgain("a");
    ticks();
    clock.advance(Duration.ofMillis(2_100)); // 5.1 s after the first report
    Eventually.until("a left, 5 s after the first report", () -> left("a"));
    Eventually.until("requeued", () -> pool.status(h.id()).state() == TaskState.QUEUED);
    assertThat(events)
        .filteredOn(e -> e instanceof PoolEvent.WorkerLeft l && l.worker().value().equals("a"))
        .hasSize(1);
  }

  @Test
  void theDefaultGraceIsTheLeaseDurationWhenThatIsShorter() throws Exception {
    start(Coordinator.builder().leaseDuration(Duration.ofSeconds(3)));
    pool.submit(echo, 1L);
    ScriptedWorker a = worker("a").grant(1);
    a.next();
    transport.breakConnection("a");
    ticks(); // the scheduler hears of the break at the current fake time
    clock.advance(Duration.ofMillis(2_900));
    ticks();
    assertThat(left("a")).isFalse();
    clock.advance(Duration.ofMillis(200));
    Eventually.until("a left", () -> left("a"));
  }

  @Test
  void aCleanCloseLosesTheWorkerAtOnce() throws Exception {
    start(Coordinator.builder().leaseDuration(Duration.ofSeconds(60)));
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = worker("a").grant(1);
    a.next();
    a.close();
    Eventually.until("a left", () -> left("a"));
    ScriptedWorker b = worker("b").grant(1);
    assertThat(b.next().lease().task()).isEqualTo(h.id());
  }

  @Test
  void theBuilderChecksTheGrace() {
    assertThatThrownBy(() -> Coordinator.builder().reconnectGrace(Duration.ZERO))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("reconnectGrace");
            });
    assertThatThrownBy(
            () ->
                Coordinator.builder()
                    .leaseDuration(Duration.ofSeconds(10))
                    .reconnectGrace(Duration.ofSeconds(11)))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.getMessage()).contains("reconnectGrace", "PT11S", "PT10S"));
    assertThatThrownBy(
            () ->
                Coordinator.builder()
                    .reconnectGrace(Duration.ofSeconds(11))
                    .leaseDuration(Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.getMessage()).contains("leaseDuration"));
    // the default lease is 15 s: a longer grace without a lease set is refused at build
    assertThatThrownBy(
            () -> Coordinator.builder().kind(echo).reconnectGrace(Duration.ofSeconds(16)).build())
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.getMessage()).contains("reconnectGrace", "PT15S"));
    assertThatThrownBy(
            () ->
                Coordinator.builder()
                    .reconnectGrace(Duration.ofSeconds(1))
                    .reconnectGrace(Duration.ofSeconds(2)))
        .as("set twice")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reconnectGrace");
  }
}
