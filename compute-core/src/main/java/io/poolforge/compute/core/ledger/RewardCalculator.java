package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a verified task into a credit amount and tracks how fast each kind usually runs.
 *
 * <p>The rule: {@code credit = costUnits × rewardPerCostUnit × factor}, rounded down, where {@code
 * factor = clamp(median / elapsed, 1.0, maxBonus)} and {@code median} is the median run time of the
 * last {@code window} verified tasks of that kind (before this one). A worker faster than the
 * median earns up to {@code maxBonus} (1.5 by default); a slower one still earns the full base
 * credit, so nobody is paid less than the cost units say. Until a kind has {@code minSamples}
 * samples the factor is 1.0. The factor is applied in millionths, so a bonus is exact to six
 * decimal places.
 *
 * <p>{@code elapsedNanos} should be measured by the coordinator (assignment to result), not
 * reported by the worker, so a worker cannot claim a bonus by lying about its speed.
 *
 * <p>Thread-safe; never blocks (each kind's samples sit behind a short lock).
 *
 * @since 0.1.0
 */
public final class RewardCalculator {
  private static final long MICROS = 1_000_000L;

  private final BigInteger rewardPerCostUnit;
  private final long maxFactorMicros;
  private final int window;
  private final int minSamples;
  private final ConcurrentHashMap<String, KindTimes> kinds = new ConcurrentHashMap<>();

  private RewardCalculator(Builder b) {
    this.rewardPerCostUnit = b.rewardPerCostUnit;
    this.maxFactorMicros = Math.round(b.maxBonus * MICROS);
    this.window = b.window;
    this.minSamples = b.minSamples;
  }

  /**
   * A builder with the defaults: 10^9 per cost unit (one gwei), bonus up to 1.5, a window of 512
   * samples, and 16 samples before any bonus.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Computes the credit for one verified task and records its run time.
   *
   * @param kind the task kind's name
   * @param costUnits the kind's cost units for this task, &gt; 0
   * @param elapsedNanos how long the worker took, &gt; 0
   * @return the credit, &gt; 0
   * @throws PoolException INVALID_ARGUMENT naming the field for a blank kind or non-positive number
   */
  public BigInteger reward(String kind, long costUnits, long elapsedNanos) {
    Checks.notBlank("kind", kind, 64);
    if (costUnits <= 0) {
      throw PoolException.invalidArgument("costUnits", "is " + costUnits + ", must be > 0");
    }
    checkElapsed(elapsedNanos);
    KindTimes times = kinds.computeIfAbsent(kind, k -> new KindTimes(window));
    long factor = times.factorMicrosThenRecord(elapsedNanos, minSamples, maxFactorMicros);
    return rewardPerCostUnit
        .multiply(BigInteger.valueOf(costUnits))
        .multiply(BigInteger.valueOf(factor))
        .divide(BigInteger.valueOf(MICROS));
  }

  /**
   * The factor a task of this kind taking {@code elapsedNanos} would earn now, without recording.
   *
   * @param kind the task kind's name
   * @param elapsedNanos the run time, &gt; 0
   * @return the factor in [1.0, maxBonus]
   */
  public double efficiency(String kind, long elapsedNanos) {
    Checks.notBlank("kind", kind, 64);
    checkElapsed(elapsedNanos);
    KindTimes times = kinds.get(kind);
    if (times == null) {
      return 1.0;
    }
    return times.factorMicros(elapsedNanos, minSamples, maxFactorMicros) / (double) MICROS;
  }

  /**
   * The median run time of the kind's recent verified tasks.
   *
   * @param kind the task kind's name
   * @return the median in nanoseconds, or empty before the first sample
   */
  public OptionalLong medianNanos(String kind) {
    Checks.notBlank("kind", kind, 64);
    KindTimes times = kinds.get(kind);
    return times == null ? OptionalLong.empty() : times.median();
  }

  private static void checkElapsed(long elapsedNanos) {
    if (elapsedNanos <= 0) {
      throw PoolException.invalidArgument("elapsedNanos", "is " + elapsedNanos + ", must be > 0");
    }
  }

  /** A ring of recent run times with a median recomputed every few samples. */
  private static final class KindTimes {
    private final long[] ring;
    private final int recomputeEvery;
    private int count;
    private int next;
    private int sinceMedian;
    private long median = -1;

    KindTimes(int window) {
      this.ring = new long[window];
      this.recomputeEvery = Math.max(1, window / 32);
    }

    synchronized long factorMicrosThenRecord(long elapsed, int minSamples, long maxMicros) {
      long f = factorMicros(elapsed, minSamples, maxMicros);
      ring[next] = elapsed;
      next = (next + 1) % ring.length;
      if (count < ring.length) {
        count++;
      }
      if (++sinceMedian >= recomputeEvery || count <= minSamples) {
        recompute();
      }
      return f;
    }

    synchronized long factorMicros(long elapsed, int minSamples, long maxMicros) {
      if (count < minSamples || median <= 0) {
        return MICROS;
      }
      // median / elapsed in millionths, without overflow for medians up to ~2.9 hours
      double ratio = (double) median / (double) elapsed;
      long micros = ratio >= (double) maxMicros / MICROS ? maxMicros : (long) (ratio * MICROS);
      return Math.max(MICROS, Math.min(maxMicros, micros));
    }

    synchronized OptionalLong median() {
      return count == 0 ? OptionalLong.empty() : OptionalLong.of(median);
    }

    private void recompute() {
      long[] copy = Arrays.copyOf(ring, count);
      Arrays.sort(copy);
      median =
          copy.length % 2 == 1
              ? copy[copy.length / 2]
              : (copy[copy.length / 2 - 1] + copy[copy.length / 2]) / 2;
      sinceMedian = 0;
    }
  }

  /**
   * Builds a {@link RewardCalculator}. Each setter checks its argument and may be called once.
   *
   * <p>Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private BigInteger rewardPerCostUnit = BigInteger.TEN.pow(9);
    private double maxBonus = 1.5;
    private int window = 512;
    private int minSamples = 16;
    private final SetOnce set = new SetOnce();

    private Builder() {}

    private void once(String field) {
      set.mark(field);
    }

    /**
     * The amount paid per cost unit at factor 1.0, in the chain's smallest unit.
     *
     * @param amount &gt; 0 and below 2^128
     * @return this
     */
    public Builder rewardPerCostUnit(BigInteger amount) {
      Checks.notNull("rewardPerCostUnit", amount);
      if (amount.signum() <= 0 || amount.bitLength() > 128) {
        throw PoolException.invalidArgument(
            "rewardPerCostUnit", "is " + amount + ", must be in (0, 2^128)");
      }
      once("rewardPerCostUnit");
      this.rewardPerCostUnit = amount;
      return this;
    }

    /**
     * The highest factor a fast worker earns.
     *
     * @param maxBonus in [1.0, 10.0]; 1.0 turns the bonus off
     * @return this
     */
    public Builder maxBonus(double maxBonus) {
      Checks.range("maxBonus", maxBonus, 1.0, 10.0);
      once("maxBonus");
      this.maxBonus = maxBonus;
      return this;
    }

    /**
     * How many recent run times per kind the median is taken over.
     *
     * @param samples in [1, 65536]
     * @return this
     */
    public Builder window(int samples) {
      Checks.range("window", samples, 1, 65_536);
      once("window");
      this.window = samples;
      return this;
    }

    /**
     * How many samples a kind needs before fast workers earn a bonus.
     *
     * @param samples in [1, 65536]
     * @return this
     */
    public Builder minSamples(int samples) {
      Checks.range("minSamples", samples, 1, 65_536);
      once("minSamples");
      this.minSamples = samples;
      return this;
    }

    /**
     * Builds the calculator.
     *
     * @return the calculator
     * @throws PoolException INVALID_ARGUMENT if minSamples exceeds window
     */
    public RewardCalculator build() {
      if (minSamples > window) {
        throw PoolException.invalidArgument(
            "minSamples", "is " + minSamples + ", must be <= window " + window);
      }
      return new RewardCalculator(this);
    }
  }
}
