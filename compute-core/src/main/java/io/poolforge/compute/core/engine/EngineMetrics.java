package io.poolforge.compute.core.engine;

/**
 * What the scheduler reports to metrics. The no-op implementation is used when no Micrometer
 * registry is configured, so Micrometer classes are never loaded then. Called on the scheduler
 * thread; implementations must not block.
 */
interface EngineMetrics {
  EngineMetrics NOOP = new EngineMetrics() {};

  /** One allocation (pick plus batch forming) took this long. */
  default void allocated(long nanos, int tasks) {}

  /** Tasks completed with a verified result. */
  default void completed(int tasks) {}

  /** Tasks failed or were cancelled. */
  default void failed(int tasks) {}

  /** Releases what was registered. */
  default void close() {}
}
