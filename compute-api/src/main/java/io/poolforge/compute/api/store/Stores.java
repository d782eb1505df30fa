package io.poolforge.compute.api.store;

import java.util.Optional;

/**
 * The three stores of one backing database, opened together by a {@link StoreProvider}.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public interface Stores extends AutoCloseable {
  /**
   * The task store.
   *
   * @return the task store
   */
  TaskStore tasks();

  /**
   * The ledger store.
   *
   * @return the ledger store
   */
  LedgerStore ledger();

  /**
   * The blob store.
   *
   * @return the blob store
   */
  BlobStore blobs();

  /**
   * Whether writes survive a crash of the process (false for in-memory stores).
   *
   * @return true if durable
   */
  boolean durable();

  /**
   * The scheduling lease of this database, for stores that several coordinators can share (high
   * availability); empty for stores that only one process opens.
   *
   * @return the lease of this opening of the stores, or empty
   * @since 0.1.0
   */
  default Optional<LeaderLease> leaderLease() {
    return Optional.empty();
  }

  /** Closes all three. Idempotent. */
  @Override
  void close();
}
