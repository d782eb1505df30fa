package io.poolforge.compute.api.verify;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;

/**
 * How the results of a task are verified, chosen per pool and optionally per task.
 *
 * <p>Immutable and thread-safe. Use the factory methods.
 *
 * @param mode the method
 * @param quorum for {@link Mode#QUORUM}: how many agreeing results accept, 1-16
 * @param replicas for {@link Mode#QUORUM}: how many copies to dispatch at first, quorum-16
 * @param maxReplicas for {@link Mode#QUORUM}: the cap on copies, ties included, replicas-32
 * @param spotCheckRate for {@link Mode#SPOT_CHECK}: the rate for a worker of no credibility, in [0,
 *     1]; it falls as the worker's credibility rises
 * @param cheapCheck whether the kind's own cheap check runs first
 * @since 0.1.0
 */
public record VerificationSpec(
    Mode mode,
    int quorum,
    int replicas,
    int maxReplicas,
    double spotCheckRate,
    boolean cheapCheck) {

  /** Validates the fields. */
  public VerificationSpec {
    Checks.notNull("verification.mode", mode);
    Checks.range("verification.quorum", quorum, 1, 16);
    Checks.range("verification.replicas", replicas, quorum, 16);
    Checks.range("verification.maxReplicas", maxReplicas, replicas, 32);
    Checks.range("verification.spotCheckRate", spotCheckRate, 0.0, 1.0);
    if (mode != Mode.QUORUM && (quorum != 1 || replicas != 1 || maxReplicas != 1)) {
      throw PoolException.invalidArgument(
          "verification.quorum", "must be 1 unless mode is QUORUM (mode is " + mode + ")");
    }
  }

  /**
   * No verification beyond signature and lease checks: for trusted pools.
   *
   * @return the spec
   */
  public static VerificationSpec none() {
    return new VerificationSpec(Mode.NONE, 1, 1, 1, 0.0, false);
  }

  /**
   * Only the kind's own cheap check; results it cannot judge are accepted.
   *
   * @return the spec
   */
  public static VerificationSpec cheapCheckOnly() {
    return new VerificationSpec(Mode.NONE, 1, 1, 1, 0.0, true);
  }

  /**
   * {@code k} agreeing results out of {@code n} copies on distinct workers and owners, with extra
   * copies on a tie up to twice {@code n}.
   *
   * @param k the quorum
   * @param n the initial copies, &gt;= k
   * @return the spec
   */
  public static VerificationSpec quorum(int k, int n) {
    Checks.range("verification.quorum", k, 1, 16);
    Checks.range("verification.replicas", n, k, 16);
    return new VerificationSpec(Mode.QUORUM, k, n, Math.min(32, 2 * n), 0.0, true);
  }

  /**
   * Adaptive spot-checks: a result is replicated with probability {@code rate} for a new worker,
   * less as its credibility for the kind rises.
   *
   * @param rate the initial rate in (0, 1]
   * @return the spec
   */
  public static VerificationSpec spotCheck(double rate) {
    if (!(rate > 0.0 && rate <= 1.0)) {
      throw PoolException.invalidArgument(
          "verification.spotCheckRate", "is " + rate + ", must be in (0, 1]");
    }
    return new VerificationSpec(Mode.SPOT_CHECK, 1, 1, 1, rate, true);
  }

  /**
   * Verification methods.
   *
   * @since 0.1.0
   */
  public enum Mode {
    /** Accept signed, leased results (optionally after the cheap check). */
    NONE,
    /** Replicas with a quorum. */
    QUORUM,
    /** Credibility-adaptive spot-checks. */
    SPOT_CHECK
  }
}
