package io.poolforge.compute.api.backend;

/**
 * Creates a {@link ComputeBackend}; found through {@link java.util.ServiceLoader}. A worker uses
 * every available provider unless backends are wired explicitly in its builder, which always wins
 * over discovery.
 *
 * <p>Implementations are thread-safe and cheap to construct.
 *
 * @since 0.1.0
 */
public interface ComputeBackendProvider {
  /**
   * The id of the backends it creates.
   *
   * @return the id
   */
  String id();

  /**
   * Whether the hardware and drivers this backend needs are present. Never throws; may take a
   * moment the first time (probing a driver), then is cached.
   *
   * @return true if {@link #create()} will succeed
   */
  boolean isAvailable();

  /**
   * Preference among available providers for the same kinds; higher wins.
   *
   * @return the priority
   */
  int priority();

  /**
   * Creates a backend.
   *
   * @return a new backend, which the caller closes
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE if the hardware is missing
   */
  ComputeBackend create();
}
