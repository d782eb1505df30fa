package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.schedule.AllocationPolicy;
import io.poolforge.compute.api.schedule.Allocator;
import java.util.function.LongFunction;

/**
 * The built-in allocation policies. Each keeps an index of the lane's workers that have credit, so
 * no pick scans every worker.
 *
 * <ul>
 *   <li>{@link #roundRobin()}: cycles through workers with credit.
 *   <li>{@link #leastLoaded()}: an indexed min-heap by load; always the least loaded.
 *   <li>{@link #powerOfTwoChoices()}: two random workers, the less loaded wins.
 *   <li>{@link #weightedScore(ScoreWeights)}: a few random workers plus the preferred one, the best
 *       weighted score of load, memory, speed, latency, affinity and reputation wins.
 * </ul>
 *
 * <p>The default is {@link #defaultPolicy()}: power-of-two-choices, which measured best in {@code
 * AllocationBenchmark} (10,000 workers, 1,000,000 placements on one thread): about 4 million
 * placements per second with a load Gini of 0.005, where least-loaded reached 0.9 million and the
 * weighted score 1.6 million (it deliberately loads fast workers more: Gini 0.5 on a fleet whose
 * speeds span 100x). Round-robin is faster still but blind to load.
 *
 * <p>Thread-safe; the policies are stateless factories.
 *
 * @since 0.1.0
 */
public final class AllocationPolicies {
  private AllocationPolicies() {}

  /**
   * Round-robin over workers with credit.
   *
   * @return the policy
   */
  public static AllocationPolicy roundRobin() {
    return new Named("round-robin", seed -> new RoundRobinAllocator());
  }

  /**
   * Always the least loaded worker with credit.
   *
   * @return the policy
   */
  public static AllocationPolicy leastLoaded() {
    return new Named("least-loaded", seed -> new LeastLoadedAllocator());
  }

  /**
   * The less loaded of two random workers with credit.
   *
   * @return the policy
   */
  public static AllocationPolicy powerOfTwoChoices() {
    return new Named("power-of-two", PowerOfTwoAllocator::new);
  }

  /**
   * The weighted score with {@link ScoreWeights#DEFAULT}.
   *
   * @return the policy
   */
  public static AllocationPolicy weightedScore() {
    return weightedScore(ScoreWeights.DEFAULT);
  }

  /**
   * The weighted score with the given weights.
   *
   * @param weights the weights
   * @return the policy
   */
  public static AllocationPolicy weightedScore(ScoreWeights weights) {
    if (weights == null) {
      throw PoolException.invalidArgument("weights", "must not be null");
    }
    return new Named("weighted-score", seed -> new WeightedScoreAllocator(seed, weights));
  }

  /**
   * The policy a pool uses when none is configured.
   *
   * @return power-of-two-choices
   */
  public static AllocationPolicy defaultPolicy() {
    return powerOfTwoChoices();
  }

  /**
   * A policy by name: round-robin, least-loaded, power-of-two or weighted-score.
   *
   * @param name the name
   * @return the policy
   * @throws PoolException INVALID_ARGUMENT for an unknown name
   */
  public static AllocationPolicy byName(String name) {
    return switch (name == null ? "" : name) {
      case "round-robin" -> roundRobin();
      case "least-loaded" -> leastLoaded();
      case "power-of-two" -> powerOfTwoChoices();
      case "weighted-score" -> weightedScore();
      default ->
          throw PoolException.invalidArgument(
              "allocationPolicy",
              "'"
                  + name
                  + "' is unknown; use round-robin, least-loaded, power-of-two or weighted-score");
    };
  }

  private record Named(String name, LongFunction<Allocator> factory) implements AllocationPolicy {
    @Override
    public Allocator newAllocator(long seed) {
      return factory.apply(seed);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
