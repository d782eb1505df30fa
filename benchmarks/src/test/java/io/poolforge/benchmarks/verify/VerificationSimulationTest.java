package io.poolforge.benchmarks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerificationSimulationTest {
  @Test
  void honestPoolsAcceptEveryTaskCorrectly() {
    for (String policy : VerificationSimulation.POLICIES) {
      SimulatedScheduler.Outcome o =
          VerificationSimulation.runOne(policy, Adversary.none(), 20, 2_000, 1);
      assertThat(o.accepted()).as(policy).isEqualTo(2_000);
      assertThat(o.wrongAccepted()).as(policy).isZero();
      assertThat(o.honestQuarantined()).as(policy).isZero();
    }
    assertThat(VerificationSimulation.runOne("2-of-2", Adversary.none(), 20, 2_000, 1).executions())
        .isEqualTo(4_000);
  }

  @Test
  void theCredibilityVerifierQuarantinesEverySaboteurThatAlwaysCheats() {
    Adversary always = new Adversary("always", 0.2, 1.0, false, 0, 1.0);
    SimulatedScheduler.Outcome o = VerificationSimulation.runOne("poolforge", always, 50, 5_000, 2);
    assertThat(o.saboteurs()).isEqualTo(10);
    assertThat(o.quarantinedAfterOwnTasks()).hasSize(10);
    assertThat(o.honestQuarantined()).isZero();
    assertThat(o.wrongAccepted()).isLessThan(5);
  }

  @Test
  void collusionDefeatsPlainVotingButNotTrustedRecompute() {
    Adversary colluding = new Adversary("colluding", 0.35, 1.0, true, 0, 1.0);
    SimulatedScheduler.Outcome voting =
        VerificationSimulation.runOne("2-of-2", colluding, 40, 4_000, 3);
    SimulatedScheduler.Outcome ours =
        VerificationSimulation.runOne("poolforge", colluding, 40, 4_000, 3);
    assertThat(voting.wrongAccepted()).isGreaterThan(100);
    assertThat(ours.wrongAccepted()).isLessThan(voting.wrongAccepted() / 10);
  }

  @Test
  void runsAreDeterministicForASeed() {
    Adversary p = new Adversary("p", 0.2, 0.3, false, 0, 1.0);
    assertThat(VerificationSimulation.runOne("poolforge", p, 30, 3_000, 9))
        .isEqualTo(VerificationSimulation.runOne("poolforge", p, 30, 3_000, 9));
  }
}
