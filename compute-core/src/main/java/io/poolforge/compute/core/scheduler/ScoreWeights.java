package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.PoolException;

/**
 * The weights of the weighted-score policy. Each term is normalized to [0, 1] among the sampled
 * candidates before it is weighted; the candidate with the highest sum wins.
 *
 * <p>Immutable and thread-safe.
 *
 * @param load weight of spare capacity (1 - load)
 * @param freeMemory weight of free device memory
 * @param speed weight of measured speed for the task's kind
 * @param latency weight of low round-trip latency
 * @param affinity bonus for the task's preferred worker
 * @param reputation weight of credibility for the kind
 * @param candidates how many workers with credit are sampled per pick, 2-64 (the preferred worker
 *     is always considered as well)
 * @since 0.1.0
 */
public record ScoreWeights(
    double load,
    double freeMemory,
    double speed,
    double latency,
    double affinity,
    double reputation,
    int candidates) {
  /** Balanced defaults: load first, then speed and reputation. */
  public static final ScoreWeights DEFAULT = new ScoreWeights(1.0, 0.2, 0.5, 0.2, 0.5, 0.5, 3);

  /** Validates the weights. */
  public ScoreWeights {
    check("load", load);
    check("freeMemory", freeMemory);
    check("speed", speed);
    check("latency", latency);
    check("affinity", affinity);
    check("reputation", reputation);
    if (candidates < 2 || candidates > 64) {
      throw PoolException.invalidArgument(
          "weights.candidates", "is " + candidates + ", must be in [2, 64]");
    }
  }

  private static void check(String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw PoolException.invalidArgument(
          "weights." + field, "is " + value + ", must be in [0, 100]");
    }
  }
}
