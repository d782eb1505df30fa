package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class CredibilityTrackerTest {
  private final MutableClock clock = new MutableClock();
  private final List<String> forfeits = new ArrayList<>();
  private final CredibilityTracker tracker =
      CredibilityTracker.builder()
          .clock(clock)
          .forfeiter((worker, reason) -> forfeits.add(worker + ": " + reason))
          .build();

  @Test
  void newcomersStartAtOneMinusTheAssumedFaultyFraction() {
    assertThat(tracker.credibility(w("a"), "k")).isCloseTo(0.8, within(1e-12));
    assertThat(tracker.priorCredibility(w("a"))).isCloseTo(0.8, within(1e-12));
    assertThat(tracker.distrustRatio(w("a"), "k")).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void trustIsEarnedSlowlyAndOnlyOnTheKindWhereItWasEarned() {
    tracker.recordVerified(w("a"), "easy");
    double one = tracker.credibility(w("a"), "easy");
    assertThat(one).isCloseTo(1 - 0.2 * 3 / 4, within(1e-12));
    for (int i = 0; i < 99; i++) {
      tracker.recordVerified(w("a"), "easy");
    }
    assertThat(tracker.credibility(w("a"), "easy")).isCloseTo(1 - 0.2 * 3 / 103, within(1e-12));
    assertThat(tracker.credibility(w("a"), "hard")).isCloseTo(0.8, within(1e-12));
  }

  @Test
  void trustIsLostFastOnALostVote() {
    for (int i = 0; i < 100; i++) {
      tracker.recordVerified(w("a"), "k");
    }
    double before = tracker.credibility(w("a"), "k");
    assertThat(tracker.recordOutvoted(w("a"), "k", new TaskId(1))).isFalse();
    double after = tracker.credibility(w("a"), "k");
    // Distrust grows eightfold: halved count (about twice) times the penalty 4.
    assertThat((1 - after) / (1 - before)).isCloseTo(4 * 103.0 / 53.0, within(1e-9));
    assertThat(tracker.verifiedCount(w("a"), "k")).isEqualTo(50.0);
    assertThat(tracker.quarantined(w("a"))).isFalse();
    // Repeated lost votes cross the blacklist threshold.
    tracker.recordOutvoted(w("a"), "k", new TaskId(2));
    boolean quarantined = tracker.recordOutvoted(w("a"), "k", new TaskId(3));
    assertThat(quarantined).isTrue();
    assertThat(tracker.quarantine(w("a")).reason()).contains("blacklist threshold").contains("t-3");
    assertThat(forfeits).hasSize(1);
  }

  @Test
  void aProvenWrongResultQuarantinesOnceForfeitsAndTellsListeners() {
    List<PoolEvent.WorkerQuarantined> seen = new ArrayList<>();
    tracker.addQuarantineListener(seen::add);
    tracker.addQuarantineListener(
        e -> {
          throw new IllegalStateException("a broken listener does not stop the others");
        });
    List<PoolEvent.WorkerQuarantined> late = new ArrayList<>();
    tracker.addQuarantineListener(late::add);
    assertThat(tracker.recordRefuted(w("x"), "k", new TaskId(5), "re-hash mismatch")).isTrue();
    assertThat(tracker.recordRefuted(w("x"), "k", new TaskId(6), "again")).isFalse();
    assertThat(tracker.quarantined(w("x"))).isTrue();
    assertThat(tracker.credibility(w("x"), "k")).isZero();
    assertThat(tracker.credibility(w("x"), "other")).isZero();
    assertThat(seen).hasSize(1);
    assertThat(late).hasSize(1);
    assertThat(seen.get(0).at()).isEqualTo(clock.instant());
    assertThat(seen.get(0).reason()).contains("t-5").contains("re-hash mismatch");
    assertThat(forfeits).containsExactly("x: " + seen.get(0).reason());
    assertThat(tracker.quarantinedWorkers()).containsOnlyKeys(w("x"));
    assertThat(tracker.release(w("x"))).isTrue();
    assertThat(tracker.quarantined(w("x"))).isFalse();
    assertThat(tracker.credibility(w("x"), "k")).isLessThan(0.5);
  }

  @Test
  void aFailingForfeiterIsLoggedAndTheQuarantineStands() {
    CredibilityTracker t =
        CredibilityTracker.builder()
            .forfeiter(
                (worker, reason) -> {
                  throw new IllegalStateException("ledger down");
                })
            .build();
    assertThat(t.quarantine(w("x"), "test")).isTrue();
    assertThat(t.quarantined(w("x"))).isTrue();
  }

  @Test
  void notificationsRunOnTheGivenExecutor() {
    List<Runnable> queued = new ArrayList<>();
    Executor deferred = queued::add;
    List<WorkerId> forfeited = new ArrayList<>();
    CredibilityTracker t =
        CredibilityTracker.builder()
            .notificationExecutor(deferred)
            .forfeiter((worker, reason) -> forfeited.add(worker))
            .build();
    t.quarantine(w("x"), "test");
    assertThat(forfeited).isEmpty();
    queued.forEach(Runnable::run);
    assertThat(forfeited).containsExactly(w("x"));
  }

  @Test
  void trustAndFailuresDecayWithTheHalfLife() {
    for (int i = 0; i < 40; i++) {
      tracker.recordVerified(w("a"), "k");
    }
    clock.advance(Duration.ofDays(7));
    assertThat(tracker.verifiedCount(w("a"), "k")).isCloseTo(20.0, within(1e-9));
    clock.advance(Duration.ofDays(140));
    assertThat(tracker.credibility(w("a"), "k")).isCloseTo(0.8, within(1e-3));
    tracker.recordOutvoted(w("b"), "k", new TaskId(1));
    // A newcomer that loses a vote is quarantined at once (credibility 0.2 < 0.5).
    assertThat(tracker.quarantined(w("b"))).isTrue();
  }

  @Test
  void attestedWorkersStartWithLessDistrust() {
    tracker.recordAttested(w("t"));
    assertThat(tracker.credibility(w("t"), "k")).isCloseTo(0.9, within(1e-12));
    assertThat(tracker.priorCredibility(w("t"))).isCloseTo(0.9, within(1e-12));
    assertThat(tracker.distrustRatio(w("t"), "k")).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void builderChecksArgumentsAndRefusesBeingSetTwice() {
    assertThatThrownBy(() -> CredibilityTracker.builder().assumedFaultyFraction(0.95))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("assumedFaultyFraction")
        .hasMessageContaining("0.9");
    assertThatThrownBy(() -> CredibilityTracker.builder().halfLife(Duration.ZERO))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("halfLife");
    assertThatThrownBy(() -> CredibilityTracker.builder().blacklistBelow(0.1).blacklistBelow(0.2))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> tracker.credibility(null, "k"))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("worker");
  }
}
