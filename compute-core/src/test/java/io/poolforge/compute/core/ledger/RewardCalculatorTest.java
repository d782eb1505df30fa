package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RewardCalculatorTest {
  private final RewardCalculator calc =
      RewardCalculator.builder()
          .rewardPerCostUnit(BigInteger.valueOf(1_000_000))
          .minSamples(4)
          .window(8)
          .build();

  private void warmUp(String kind, long nanos, int n) {
    for (int i = 0; i < n; i++) {
      calc.reward(kind, 1, nanos);
    }
  }

  @Test
  void baseCreditUntilEnoughSamples() {
    assertThat(calc.reward("sha256", 3, 1)).isEqualTo(BigInteger.valueOf(3_000_000));
    assertThat(calc.efficiency("sha256", 1)).isEqualTo(1.0);
    assertThat(calc.medianNanos("sha256")).hasValue(1);
  }

  @Test
  void fasterThanMedianEarnsABonusCappedAtOneAndAHalf() {
    warmUp("hash", 1000, 8);
    assertThat(calc.medianNanos("hash")).hasValue(1000);
    // 1000 / 800 = 1.25
    assertThat(calc.reward("hash", 2, 800)).isEqualTo(BigInteger.valueOf(2_500_000));
    // 1000 / 10 = 100, capped at 1.5
    assertThat(calc.reward("hash", 2, 10)).isEqualTo(BigInteger.valueOf(3_000_000));
    // slower than the median: still the base credit
    assertThat(calc.reward("hash", 2, 5000)).isEqualTo(BigInteger.valueOf(2_000_000));
  }

  @Test
  void kindsAreTrackedSeparately() {
    warmUp("fast", 100, 8);
    warmUp("slow", 1_000_000, 8);
    assertThat(calc.efficiency("slow", 500_000)).isEqualTo(1.5);
    assertThat(calc.efficiency("fast", 500_000)).isEqualTo(1.0);
  }

  @Test
  void medianFollowsTheWindow() {
    warmUp("k", 1000, 8);
    warmUp("k", 4000, 8);
    assertThat(calc.medianNanos("k")).hasValue(4000);
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> calc.reward("k", 0, 1))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("costUnits"));
    assertThatThrownBy(() -> calc.reward("k", -5, 1))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("costUnits"));
    assertThatThrownBy(() -> calc.reward("k", 1, 0))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("elapsedNanos"));
    assertThatThrownBy(() -> calc.reward(" ", 1, 1))
        .isInstanceOfSatisfying(PoolException.class, e -> assertThat(e.field()).isEqualTo("kind"));
  }

  @Test
  void builderChecksAndRefusesSettingTwice() {
    assertThatThrownBy(() -> RewardCalculator.builder().maxBonus(0.5))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("maxBonus"));
    assertThatThrownBy(() -> RewardCalculator.builder().rewardPerCostUnit(BigInteger.ZERO))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("rewardPerCostUnit"));
    assertThatThrownBy(() -> RewardCalculator.builder().window(4).window(5))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
    assertThatThrownBy(() -> RewardCalculator.builder().window(4).minSamples(5).build())
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("minSamples"));
  }
}
