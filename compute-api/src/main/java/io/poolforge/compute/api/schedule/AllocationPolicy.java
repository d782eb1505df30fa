package io.poolforge.compute.api.schedule;

/**
 * A placement strategy: round-robin, least-loaded, power-of-two-choices, a weighted score, or one
 * of the application's own. The scheduler creates one {@link Allocator} per lane.
 *
 * <p>Implementations are thread-safe factories.
 *
 * @since 0.1.0
 */
public interface AllocationPolicy {
  /**
   * The policy's name, for configuration and metrics.
   *
   * @return the name
   */
  String name();

  /**
   * Creates the allocator of one lane.
   *
   * @param seed a seed for allocators that randomize, so runs are reproducible
   * @return a new allocator
   */
  Allocator newAllocator(long seed);
}
