package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.MutableClock;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.verify.CredibilityTracker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's timers look at every worker only when a lease can expire or the reputation's
 * quarantine set changed, and still catch each case at the tick it happens: a lease that expires
 * (the earliest last sign of life decides when to look), and a worker quarantined outside its own
 * results, with a reputation that tracks a quarantine version and with one that does not.
 */
class TimerScanTest {
  private final MutableClock clock = new MutableClock();
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private Pool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
    transport.close();
  }

  private void start(Reputation reputation) {
    pool =
        Coordinator.builder()
            .kind(echo)
            .transport(transport.coordinator())
            .clock(clock)
            .reputation(reputation)
            .leaseDuration(Duration.ofSeconds(10))
            .tickInterval(Duration.ofMillis(2))
            .build();
  }

  private ScriptedWorker join(String id) {
    ScriptedWorker w = new ScriptedWorker(transport.worker(), id, "owner-" + id, Set.of("echo"));
    Eventually.until(
        id + " joined", () -> pool.workers().stream().anyMatch(i -> i.id().value().equals(id)));
    return w;
  }

  /**
   * Lets the loop run at the current fake time (timers run at the first loop after the fake clock
   * moved by a tick).
   */
  private static void ticks() throws InterruptedException {
    Thread.sleep(40);
  }

  @Test
  void eachLeaseExpiresAtItsOwnTimeWhateverTheOthersLastSignOfLife() throws Exception {
    start(CredibilityTracker.builder().clock(clock).build());
    ScriptedWorker a = join("a");
    ScriptedWorker b = join("b");
    clock.advance(Duration.ofSeconds(5));
    a.heartbeat();
    ticks();
    clock.advance(Duration.ofMillis(5_001)); // b silent for 10.001 s, a for 5.001 s
    Eventually.until("b is dropped", () -> b.closed);
    ticks();
    assertThat(a.closed).isFalse();
    clock.advance(Duration.ofMillis(4_990)); // a silent for 9.991 s
    ticks();
    assertThat(a.closed).isFalse();
    clock.advance(Duration.ofMillis(20)); // 10.011 s
    Eventually.until("a is dropped", () -> a.closed);
    assertThat(a.closedWith.code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void aWorkerQuarantinedOutsideItsResultsIsCutOffAtTheNextTick() throws Exception {
    CredibilityTracker tracker = CredibilityTracker.builder().clock(clock).build();
    start(tracker);
    ScriptedWorker a = join("a");
    ScriptedWorker b = join("b");
    ticks();
    long before = tracker.quarantineVersion();
    tracker.quarantine(new WorkerId("a"), "an operator's decision");
    assertThat(tracker.quarantineVersion()).isGreaterThan(before);
    clock.advance(Duration.ofMillis(10)); // timers run when the (fake) clock has moved a tick
    Eventually.until("a is cut off", () -> a.closed);
    assertThat(a.closedWith.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    ticks();
    assertThat(b.closed).isFalse();
  }

  @Test
  void aReputationWithoutAVersionIsAskedAtEveryTick() throws Exception {
    HonestlyNamedSetReputation reputation = new HonestlyNamedSetReputation();
    assertThat(reputation.quarantineVersion()).isEqualTo(-1);
    start(reputation);
    ScriptedWorker a = join("a");
    ScriptedWorker b = join("b");
    ticks();
    reputation.quarantined.add(new WorkerId("b"));
    clock.advance(Duration.ofMillis(10));
    Eventually.until("b is cut off", () -> b.closed);
    assertThat(b.closedWith.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(a.closed).isFalse();
  }

  /** An in-memory reputation: a set of quarantined workers, no version (the SPI's default). */
  private static final class HonestlyNamedSetReputation implements Reputation {
    final Set<WorkerId> quarantined = ConcurrentHashMap.newKeySet();

    @Override
    public double credibility(WorkerId worker, String kind) {
      return quarantined.contains(worker) ? 0 : 1;
    }

    @Override
    public boolean quarantined(WorkerId worker) {
      return quarantined.contains(worker);
    }
  }
}
