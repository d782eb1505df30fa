package io.poolforge.compute.core.store;

import io.poolforge.compute.api.store.Stores;

/**
 * An in-memory task store, ledger store and blob store opened together; {@link #durable()} is
 * false.
 *
 * <p>Thread-safe. Never blocks on I/O.
 *
 * @since 0.1.0
 */
public final class InMemoryStores implements Stores {
  private final InMemoryTaskStore tasks = new InMemoryTaskStore();
  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final InMemoryBlobStore blobs;

  private InMemoryStores(long maxBlobBytes) {
    this.blobs = new InMemoryBlobStore(maxBlobBytes);
  }

  /**
   * Empty stores with the default blob limit.
   *
   * @return new stores
   */
  public static InMemoryStores create() {
    return new InMemoryStores(InMemoryBlobStore.DEFAULT_MAX_BLOB_BYTES);
  }

  /**
   * Empty stores with a blob limit.
   *
   * @param maxBlobBytes the largest blob accepted, 1 to {@link Integer#MAX_VALUE}
   * @return new stores
   */
  public static InMemoryStores create(long maxBlobBytes) {
    return new InMemoryStores(maxBlobBytes);
  }

  @Override
  public InMemoryTaskStore tasks() {
    return tasks;
  }

  @Override
  public InMemoryLedgerStore ledger() {
    return ledger;
  }

  @Override
  public InMemoryBlobStore blobs() {
    return blobs;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public void close() {
    tasks.close();
    ledger.close();
    blobs.close();
  }
}
