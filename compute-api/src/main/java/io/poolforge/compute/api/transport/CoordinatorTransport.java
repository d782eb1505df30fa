package io.poolforge.compute.api.transport;

/**
 * The coordinator's end of a transport: it accepts worker connections and hands each to the
 * coordinator.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface CoordinatorTransport extends AutoCloseable {
  /**
   * Starts accepting workers. Called once.
   *
   * @param acceptor the coordinator's callback for new workers
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE if it cannot listen
   */
  void start(Acceptor acceptor);

  /** Stops accepting and closes every connection. Idempotent; may block briefly. */
  @Override
  void close();

  /**
   * The coordinator's callback for new workers.
   *
   * @since 0.1.0
   */
  @FunctionalInterface
  interface Acceptor {
    /**
     * A worker connected and authenticated at the transport level.
     *
     * @param registration what it sent
     * @param channel the way to send it work
     * @return the handler for what it sends next
     * @throws io.poolforge.compute.api.PoolException UNAUTHENTICATED or INVALID_ARGUMENT to refuse
     *     it; the transport closes the connection with that status
     */
    WorkerSession accept(Registration registration, WorkerChannel channel);
  }
}
