package io.poolforge.benchmarks.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The saboteur scenarios on the real pool, in lockstep: small runs, so they stay quick. */
class PoolVerificationRunTest {
  @Test
  void sameSeedSameRowOnTheRealPool() throws Exception {
    Adversary sometimes = new Adversary("p=0.5", 0.25, 0.5, false, 0, 1.0);
    PoolVerificationRun.Row a = PoolVerificationRun.runOne("poolforge", sometimes, 8, 200, 2, 7);
    PoolVerificationRun.Row b = PoolVerificationRun.runOne("poolforge", sometimes, 8, 200, 2, 7);
    assertThat(b).isEqualTo(a);
    assertThat(a.accepted()).isEqualTo(200);
    assertThat(a.saboteurs()).isEqualTo(2);
    assertThat(a.own()).as("every saboteur quarantined").hasSize(2);
    assertThat(a.honestQuarantined()).isZero();
    assertThat(a.copies()).isGreaterThan(200);
  }

  @Test
  void collusionFoolsVotingButNotTheCredibilityVerifier() throws Exception {
    Adversary colluding = new Adversary("colluding", 0.35, 1.0, true, 0, 1.0);
    PoolVerificationRun.Row voting = PoolVerificationRun.runOne("2-of-2", colluding, 10, 200, 2, 3);
    PoolVerificationRun.Row ours =
        PoolVerificationRun.runOne("poolforge", colluding, 10, 200, 2, 3);
    assertThat(voting.wrong()).as("2-of-2 accepts agreeing colluders").isPositive();
    assertThat(voting.own()).as("voting quarantines nobody").isEmpty();
    assertThat(ours.wrong()).isLessThan(voting.wrong());
    assertThat(ours.own()).as("every colluder quarantined").hasSize(ours.saboteurs());
  }

  @Test
  void upperBoundIsTheExactOneSidedBinomialBound() {
    // k = 0: 1 - 0.05^(1/n), about 3/n
    assertThat(PoolVerificationRun.upperBound(0, 30_000)).isCloseTo(9.98528e-5, within(1e-9));
    // k = 1, n = 100: the Clopper-Pearson one-sided 95% bound is 0.0466
    assertThat(PoolVerificationRun.upperBound(1, 100)).isCloseTo(0.04656, within(1e-4));
    assertThat(PoolVerificationRun.upperBound(5, 5)).isEqualTo(1.0);
  }
}
