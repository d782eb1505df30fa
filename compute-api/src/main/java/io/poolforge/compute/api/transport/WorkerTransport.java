package io.poolforge.compute.api.transport;

/**
 * The worker's end of a transport: connects to a coordinator.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface WorkerTransport extends AutoCloseable {
  /**
   * Connects and registers. May block until the coordinator accepts or refuses.
   *
   * @param registration what to register
   * @param listener receives what the coordinator sends
   * @return the connection
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE if the coordinator cannot be
   *     reached; UNAUTHENTICATED or INVALID_ARGUMENT if it refused the worker
   */
  WorkerConnection connect(Registration registration, WorkerListener listener);

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
