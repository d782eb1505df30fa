package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.failed;
import static io.poolforge.compute.core.verify.Fixtures.raw;
import static io.poolforge.compute.core.verify.Fixtures.result;
import static io.poolforge.compute.core.verify.Fixtures.view;
import static io.poolforge.compute.core.verify.Fixtures.w;
import static io.poolforge.compute.core.verify.TestKinds.FACTOR;
import static io.poolforge.compute.core.verify.TestKinds.SQRT;
import static io.poolforge.compute.core.verify.TestKinds.SQUARE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CredibilityVerifierTest {
  private final List<String> forfeited = new ArrayList<>();
  private final List<PoolEvent.WorkerQuarantined> events = new ArrayList<>();
  private CredibilityTracker tracker;
  private Fixtures.ScriptedRandom random;
  private CredibilityVerifier verifier;

  @BeforeEach
  void setUp() {
    tracker =
        CredibilityTracker.builder()
            .clock(new MutableClock())
            .forfeiter((worker, reason) -> forfeited.add(worker.value()))
            .build();
    tracker.addQuarantineListener(events::add);
    random = new Fixtures.ScriptedRandom();
    verifier = CredibilityVerifier.builder().reputation(tracker).random(random).build();
  }

  private void earn(String worker, String kind, int n) {
    for (int i = 0; i < n; i++) {
      tracker.recordVerified(w(worker), kind);
    }
  }

  @Test
  void initialCopiesFollowTheMode() {
    TaskSpec spec = TaskSpec.builder("test.square", Bytes.of(new byte[8])).build();
    assertThat(verifier.initialCopies(spec, VerificationSpec.quorum(2, 3))).isEqualTo(3);
    assertThat(verifier.initialCopies(spec, VerificationSpec.spotCheck(0.5))).isEqualTo(1);
    assertThat(verifier.initialCopies(spec, VerificationSpec.none())).isEqualTo(1);
  }

  @Test
  void emptyResultsAreRejectedNamingTheField() {
    assertThatThrownBy(
            () -> verifier.judge(view(SQUARE, 3L, VerificationSpec.none(), 1), List.of()))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("results");
  }

  @Nested
  class None {
    @Test
    void acceptsTheFirstResultOnEveryKind() {
      for (var kind : List.of(SQUARE, FACTOR)) {
        Decision d =
            verifier.judge(
                view(kind, 15L, VerificationSpec.none(), 1),
                List.of(result("a", 1, "cpu", kind, 99L)));
        assertThat(d).isInstanceOf(Decision.Accept.class);
        assertThat(((Decision.Accept) d).method()).isEqualTo(CredibilityVerifier.NONE);
      }
      Decision d =
          verifier.judge(
              view(SQRT, 2.0, VerificationSpec.none(), 1),
              List.of(result("a", 1, "cuda", SQRT, 7.0)));
      assertThat(d).isInstanceOf(Decision.Accept.class);
      assertThat(tracker.quarantined(w("a"))).isFalse();
    }

    @Test
    void cheapCheckConfirmsAndRefutes() {
      VerificationSpec spec = VerificationSpec.cheapCheckOnly();
      Decision bad =
          verifier.judge(view(FACTOR, 15L, spec, 1), List.of(result("liar", 1, "cpu", FACTOR, 4L)));
      assertThat(bad).isEqualTo(new Decision.Replicate(1, List.of(w("liar"))));
      assertThat(tracker.quarantined(w("liar"))).isTrue();
      assertThat(forfeited).containsExactly("liar");

      Decision good =
          verifier.judge(
              view(FACTOR, 15L, spec, 2),
              List.of(result("liar", 1, "cpu", FACTOR, 4L), result("b", 2, "cpu", FACTOR, 5L)));
      assertThat(good).isInstanceOf(Decision.Accept.class);
      Decision.Accept a = (Decision.Accept) good;
      assertThat(a.winner().worker()).isEqualTo(w("b"));
      assertThat(a.method()).isEqualTo(CredibilityVerifier.CHEAP_CHECK);
      assertThat(a.wrong()).containsExactly(w("liar"));
      // Quarantine is reported once, however often the refuted result is judged again.
      assertThat(forfeited).containsExactly("liar");
      assertThat(events).extracting(PoolEvent.WorkerQuarantined::worker).containsExactly(w("liar"));
      assertThat(tracker.credibility(w("b"), FACTOR.id()))
          .isGreaterThan(tracker.priorCredibility(w("b")));
    }

    @Test
    void aMalformedOutputIsWrong() {
      Decision d =
          verifier.judge(
              view(SQUARE, 3L, VerificationSpec.none(), 1),
              List.of(raw("junk", 1, Bytes.of(new byte[3]))));
      assertThat(d).isEqualTo(new Decision.Replicate(1, List.of(w("junk"))));
      assertThat(tracker.quarantine(w("junk")).reason()).contains("malformed output");
    }

    @Test
    void failuresAreNotVotesAndTheCapEndsTheTask() {
      VerificationSpec spec = VerificationSpec.none();
      assertThat(verifier.judge(view(SQUARE, 3L, spec, 1), List.of(failed("a", 1))))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      List<WorkResult> fails =
          List.of(failed("a", 1), failed("b", 2), failed("c", 3), failed("d", 4));
      assertThat(verifier.judge(view(SQUARE, 3L, spec, 4), fails))
          .isInstanceOf(Decision.Fail.class);
      assertThat(tracker.quarantinedWorkers()).isEmpty();
    }
  }

  @Nested
  class Quorum {
    private final VerificationSpec twoOfThree = VerificationSpec.quorum(2, 3);

    @Test
    void waitsWhileCopiesAreOutstanding() {
      assertThat(
              verifier.judge(
                  view(SQUARE, 3L, twoOfThree, 3), List.of(result("a", 1, "cpu", SQUARE, 9L))))
          .isInstanceOf(Decision.Wait.class);
    }

    @Test
    void agreeingMajorityWinsAndTheLoserIsOutvoted() {
      Decision d =
          verifier.judge(
              view(SQUARE, 3L, twoOfThree, 3),
              List.of(
                  result("a", 1, "cpu", SQUARE, 9L),
                  result("bad", 2, "cpu", SQUARE, 10L),
                  result("c", 3, "cuda", SQUARE, 9L)));
      assertThat(d).isInstanceOf(Decision.Accept.class);
      Decision.Accept a = (Decision.Accept) d;
      assertThat(a.winner().worker()).isEqualTo(w("a"));
      assertThat(a.method()).isEqualTo(CredibilityVerifier.QUORUM);
      assertThat(a.wrong()).containsExactly(w("bad"));
      // A newcomer that loses a vote falls below the blacklist threshold.
      assertThat(tracker.quarantined(w("bad"))).isTrue();
      assertThat(tracker.verifiedCount(w("a"), SQUARE.id())).isEqualTo(1.0);
      assertThat(tracker.verifiedCount(w("c"), SQUARE.id())).isEqualTo(1.0);
    }

    @Test
    void aTieGetsAnExtraReplicaThenTheCapGoesToTrustedRecompute() {
      VerificationSpec twoOfTwo = VerificationSpec.quorum(2, 2);
      List<WorkResult> tie =
          List.of(result("a", 1, "cpu", SQUARE, 9L), result("b", 2, "cpu", SQUARE, 10L));
      assertThat(verifier.judge(view(SQUARE, 3L, twoOfTwo, 2), tie))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      List<WorkResult> split =
          List.of(
              result("a", 1, "cpu", SQUARE, 9L),
              result("b", 2, "cpu", SQUARE, 10L),
              result("c", 3, "cpu", SQUARE, 11L),
              result("d", 4, "cpu", SQUARE, 12L));
      assertThat(verifier.judge(view(SQUARE, 3L, twoOfTwo, 4), split))
          .isInstanceOf(Decision.RecomputeTrusted.class);
      Decision truth =
          verifier.judgeWithTruth(
              view(SQUARE, 3L, twoOfTwo, 4), split, SQUARE.outputCodec().encode(9L));
      assertThat(truth).isInstanceOf(Decision.Accept.class);
      Decision.Accept a = (Decision.Accept) truth;
      assertThat(a.winner().worker()).isEqualTo(w("a"));
      assertThat(a.method()).isEqualTo(CredibilityVerifier.TRUSTED_RECOMPUTE);
      assertThat(a.wrong()).containsExactly(w("b"), w("c"), w("d"));
      assertThat(forfeited).containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void withoutTrustedRecomputeTheCapFailsTheTask() {
      CredibilityVerifier plain =
          CredibilityVerifier.builder().reputation(tracker).trustedRecompute(false).build();
      List<WorkResult> split =
          List.of(
              result("a", 1, "cpu", SQUARE, 9L),
              result("b", 2, "cpu", SQUARE, 10L),
              result("c", 3, "cpu", SQUARE, 11L),
              result("d", 4, "cpu", SQUARE, 12L));
      assertThat(plain.judge(view(SQUARE, 3L, VerificationSpec.quorum(2, 2), 4), split))
          .isInstanceOf(Decision.Fail.class);
    }

    @Test
    void oneWorkerCountsOnceHoweverManyCopiesItReturns() {
      List<WorkResult> twice =
          List.of(result("a", 1, "cpu", SQUARE, 10L), result("a", 2, "cpu", SQUARE, 10L));
      Decision d = verifier.judge(view(SQUARE, 3L, VerificationSpec.quorum(2, 2), 2), twice);
      assertThat(d).isEqualTo(new Decision.Replicate(1, List.of()));
    }

    @Test
    void floatKindsCompareWithinTheToleranceAndOnlyWithinOneBackendClass() {
      double truth = Math.sqrt(2.0);
      // Same backend, last-bit difference: equivalent within tolerance.
      Decision same =
          verifier.judge(
              view(SQRT, 2.0, VerificationSpec.quorum(2, 2), 2),
              List.of(
                  result("a", 1, "cuda", SQRT, truth),
                  result("b", 2, "cuda", SQRT, truth + 1e-13)));
      assertThat(same).isInstanceOf(Decision.Accept.class);
      // Different backends cannot be compared: ask for another copy on the first one's backend.
      List<WorkResult> mixed =
          List.of(result("c", 1, "cuda", SQRT, truth), result("d", 2, "opencl", SQRT, truth));
      Verifier.TaskView v = view(SQRT, 2.0, VerificationSpec.quorum(2, 2), 2);
      assertThat(verifier.judge(v, mixed)).isEqualTo(new Decision.Replicate(1, List.of()));
      assertThat(verifier.replicaBackend(v, mixed)).contains("cuda");
      // Outside the tolerance within one class: a real disagreement.
      Decision off =
          verifier.judge(
              view(SQRT, 2.0, VerificationSpec.quorum(2, 3), 3),
              List.of(
                  result("e", 1, "cuda", SQRT, truth),
                  result("f", 2, "cuda", SQRT, truth + 1e-3),
                  result("g", 3, "cuda", SQRT, truth)));
      assertThat(((Decision.Accept) off).wrong()).containsExactly(w("f"));
      assertThat(verifier.replicaBackend(view(SQUARE, 3L, VerificationSpec.none(), 1), mixed))
          .isEmpty();
    }

    @Test
    void cheapCheckSettlesAQuorumTaskEarly() {
      Decision d =
          verifier.judge(
              view(FACTOR, 21L, VerificationSpec.quorum(2, 2), 2),
              List.of(result("a", 1, "cpu", FACTOR, 7L)));
      assertThat(d).isInstanceOf(Decision.Accept.class);
      assertThat(((Decision.Accept) d).method()).isEqualTo(CredibilityVerifier.CHEAP_CHECK);
    }
  }

  @Nested
  class SpotCheck {
    private final VerificationSpec spot = VerificationSpec.spotCheck(1.0);

    @Test
    void theRateFallsAsCredibilityRisesPerKindWithAFloor() {
      assertThat(verifier.spotCheckRate(w("a"), SQUARE.id(), spot)).isEqualTo(1.0);
      earn("a", SQUARE.id(), 3);
      assertThat(verifier.spotCheckRate(w("a"), SQUARE.id(), spot)).isCloseTo(0.5, offset());
      earn("a", SQUARE.id(), 1000);
      assertThat(verifier.spotCheckRate(w("a"), SQUARE.id(), spot)).isEqualTo(0.10);
      // No transfer of trust to another kind.
      assertThat(verifier.spotCheckRate(w("a"), SQRT.id(), spot)).isEqualTo(1.0);
      assertThat(verifier.spotCheckRate(w("a"), SQUARE.id(), VerificationSpec.none())).isZero();
    }

    @Test
    void anUncheckedResultIsAcceptedOnCredibility() {
      earn("a", SQUARE.id(), 3);
      random.then(0.6); // above the rate 0.5
      Decision d =
          verifier.judge(view(SQUARE, 3L, spot, 1), List.of(result("a", 1, "cpu", SQUARE, 9L)));
      assertThat(d).isInstanceOf(Decision.Accept.class);
      assertThat(((Decision.Accept) d).method()).isEqualTo(CredibilityVerifier.CREDIBILITY);
      // Accepting unchecked earns nothing.
      assertThat(tracker.verifiedCount(w("a"), SQUARE.id())).isEqualTo(3.0);
    }

    @Test
    void aCheckedResultIsReplicatedAndAcceptedWhenCredibleEnough() {
      earn("a", SQUARE.id(), 400);
      earn("b", SQUARE.id(), 400);
      random.then(0.01);
      List<WorkResult> first = List.of(result("a", 1, "cpu", SQUARE, 9L));
      assertThat(verifier.judge(view(SQUARE, 3L, spot, 1), first))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      Decision d =
          verifier.judge(
              view(SQUARE, 3L, spot, 2),
              List.of(result("a", 1, "cpu", SQUARE, 9L), result("b", 2, "cpu", SQUARE, 9L)));
      assertThat(d).isInstanceOf(Decision.Accept.class);
      assertThat(((Decision.Accept) d).method()).isEqualTo(CredibilityVerifier.SPOT_CHECK);
      assertThat(tracker.verifiedCount(w("a"), SQUARE.id())).isEqualTo(401.0);
    }

    @Test
    void twoNewcomersAgreeingAreNotCredibleEnoughAlone() {
      List<WorkResult> pair =
          List.of(result("n1", 1, "cpu", SQUARE, 9L), result("n2", 2, "cpu", SQUARE, 9L));
      assertThat(verifier.judge(view(SQUARE, 3L, spot, 2), pair))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      List<WorkResult> four =
          List.of(
              result("n1", 1, "cpu", SQUARE, 9L),
              result("n2", 2, "cpu", SQUARE, 9L),
              result("n3", 3, "cpu", SQUARE, 9L),
              result("n4", 4, "cpu", SQUARE, 9L));
      // At the copy cap the agreeing group is accepted.
      assertThat(verifier.judge(view(SQUARE, 3L, spot, 4), four))
          .isInstanceOf(Decision.Accept.class);
    }

    @Test
    void disagreementGoesToTrustedRecomputeAndTheCheaterIsQuarantined() {
      List<WorkResult> both =
          List.of(result("cheat", 1, "cpu", SQUARE, 10L), result("honest", 2, "cpu", SQUARE, 9L));
      Verifier.TaskView v = view(SQUARE, 3L, spot, 2);
      assertThat(verifier.judge(v, both)).isInstanceOf(Decision.RecomputeTrusted.class);
      Decision d = verifier.judgeWithTruth(v, both, SQUARE.outputCodec().encode(9L));
      assertThat(d)
          .isEqualTo(new Decision.Accept(both.get(1), "trusted-recompute", List.of(w("cheat"))));
      assertThat(tracker.quarantined(w("cheat"))).isTrue();
      assertThat(tracker.credibility(w("cheat"), SQUARE.id())).isZero();
      assertThat(forfeited).containsExactly("cheat");
      assertThat(events.get(0).reason()).contains("t-7").contains("trusted recompute");
    }

    @Test
    void noReplicaMatchingTheTruthGetsAFreshCopyUntilTheCap() {
      List<WorkResult> both =
          List.of(result("x", 1, "cpu", SQUARE, 10L), result("y", 2, "cpu", SQUARE, 11L));
      Decision d =
          verifier.judgeWithTruth(view(SQUARE, 3L, spot, 2), both, SQUARE.outputCodec().encode(9L));
      assertThat(d).isEqualTo(new Decision.Replicate(1, List.of(w("x"), w("y"))));
      assertThat(tracker.quarantinedWorkers()).containsOnlyKeys(w("x"), w("y"));
      // The fresh copy is judged on its own: the cheaters' results are no votes any more.
      List<WorkResult> three = new ArrayList<>(both);
      three.add(result("z", 3, "cpu", SQUARE, 9L));
      earn("z", SQUARE.id(), 1000);
      random.then(0.99);
      Decision fresh = verifier.judge(view(SQUARE, 3L, spot, 3), three);
      assertThat(fresh).isInstanceOf(Decision.Accept.class);
      assertThat(((Decision.Accept) fresh).winner().worker()).isEqualTo(w("z"));
      assertThat(((Decision.Accept) fresh).wrong()).containsExactly(w("x"), w("y"));
      // At the copy cap the task fails.
      Decision capped =
          verifier.judgeWithTruth(view(SQUARE, 3L, spot, 4), both, SQUARE.outputCodec().encode(9L));
      assertThat(capped).isInstanceOf(Decision.Fail.class);
      assertThat(((Decision.Fail) capped).wrong()).containsExactly(w("x"), w("y"));
    }

    @Test
    void aMalformedTrustedOutputIsAnInternalError() {
      List<WorkResult> one = List.of(result("x", 1, "cpu", SQUARE, 10L));
      assertThatThrownBy(
              () -> verifier.judgeWithTruth(view(SQUARE, 3L, spot, 1), one, Bytes.of(new byte[2])))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }

    @Test
    void withoutTrustedRecomputeAMajorityDecides() {
      CredibilityVerifier plain =
          CredibilityVerifier.builder()
              .reputation(tracker)
              .random(new SplittableRandom(1))
              .trustedRecompute(false)
              .build();
      List<WorkResult> two =
          List.of(result("a", 1, "cpu", SQUARE, 9L), result("b", 2, "cpu", SQUARE, 10L));
      assertThat(plain.judge(view(SQUARE, 3L, spot, 2), two))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      List<WorkResult> three = new ArrayList<>(two);
      three.add(result("c", 3, "cpu", SQUARE, 9L));
      Decision d = plain.judge(view(SQUARE, 3L, spot, 3), three);
      assertThat(((Decision.Accept) d).wrong()).containsExactly(w("b"));
    }

    @Test
    void aFailedCheckCopyIsAlwaysReplacedNotRedrawn() {
      List<WorkResult> results = List.of(result("a", 1, "cpu", SQUARE, 9L), failed("b", 2));
      // No random draw is scripted: a draw would throw.
      assertThat(verifier.judge(view(SQUARE, 3L, spot, 2), results))
          .isEqualTo(new Decision.Replicate(1, List.of()));
    }

    @Test
    void floatKindsInDifferentClassesNeedASameClassCopy() {
      double r = Math.sqrt(3.0);
      List<WorkResult> mixed =
          List.of(result("a", 1, "cuda", SQRT, r), result("b", 2, "opencl", SQRT, r + 1e-7));
      assertThat(verifier.judge(view(SQRT, 3.0, spot, 2), mixed))
          .isEqualTo(new Decision.Replicate(1, List.of()));
      List<WorkResult> capped = new ArrayList<>(mixed);
      capped.add(result("c", 3, "cpu", SQRT, r));
      capped.add(result("d", 4, "metal", SQRT, r));
      assertThat(verifier.judge(view(SQRT, 3.0, spot, 4), capped))
          .isInstanceOf(Decision.RecomputeTrusted.class);
      // The trusted truth judges across classes through the kind's tolerance.
      Decision d =
          verifier.judgeWithTruth(
              view(SQRT, 3.0, spot, 4), capped, SQRT.outputCodec().encode(r + 1e-12));
      assertThat(((Decision.Accept) d).wrong()).containsExactly(w("b"));
    }
  }

  @Test
  void buildersCheckArgumentsAndRefuseBeingSetTwice() {
    assertThatThrownBy(() -> CredibilityVerifier.builder().minSpotCheckRate(1.5))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("minSpotCheckRate");
    assertThatThrownBy(() -> CredibilityVerifier.builder().maxCopies(1))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("maxCopies");
    assertThatThrownBy(
            () -> CredibilityVerifier.builder().acceptanceThreshold(0.9).acceptanceThreshold(0.95))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acceptanceThreshold");
  }

  private static org.assertj.core.data.Offset<Double> offset() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
