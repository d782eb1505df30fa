package io.poolforge.compute.api;

/**
 * The closed set of failure categories a PoolForge operation reports, modelled on gRPC status codes
 * so they map one to one onto the wire.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum ErrorCode {
  /** A component needed for the operation is not reachable now; retrying later may succeed. */
  UNAVAILABLE(true),
  /** A bounded resource (queue, memory, rate limit, credit) is full; retry after backing off. */
  RESOURCE_EXHAUSTED(true),
  /** The caller's input is malformed or outside a stated limit; the message names the field. */
  INVALID_ARGUMENT(false),
  /** The referenced task, worker, blob or epoch does not exist. */
  NOT_FOUND(false),
  /** The operation conflicts with the current state (for example a cancelled task). */
  FAILED_PRECONDITION(false),
  /** The operation was cancelled by its caller or by a shutdown. */
  CANCELLED(false),
  /** A result did not pass verification (signature, lease, quorum or the kind's own check). */
  VERIFICATION_FAILED(false),
  /** A deadline passed before the operation completed; a longer deadline may succeed. */
  DEADLINE_EXCEEDED(true),
  /** The peer is not authenticated or not allowed to do this. */
  UNAUTHENTICATED(false),
  /** A blockchain refused a settlement transaction; the message carries the chain's reason. */
  CHAIN_REJECTED(false),
  /** A bug or broken invariant inside PoolForge or a plugin. */
  INTERNAL(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /**
   * Whether the same operation, retried unchanged after a back-off, may succeed.
   *
   * @return true for transient conditions
   */
  public boolean retryable() {
    return retryable;
  }
}
