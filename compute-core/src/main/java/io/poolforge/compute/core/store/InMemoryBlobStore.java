package io.poolforge.compute.core.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.store.ContentId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A content-addressed {@link BlobStore} held in memory: not durable, lost when the process ends.
 *
 * <p>Thread-safe. Never blocks on I/O; {@link #put} hashes the content (SHA-256) on the caller's
 * thread.
 *
 * @since 0.1.0
 */
public final class InMemoryBlobStore implements BlobStore {
  /** The default limit: the largest task payload. */
  public static final long DEFAULT_MAX_BLOB_BYTES = TaskSpec.MAX_PAYLOAD_BYTES;

  private static final String NAME = "InMemoryBlobStore";

  private final Map<ContentId, Bytes> blobs = new ConcurrentHashMap<>();
  private final long maxBlobBytes;
  private volatile boolean closed;

  /** Creates an empty store with the {@linkplain #DEFAULT_MAX_BLOB_BYTES default limit}. */
  public InMemoryBlobStore() {
    this(DEFAULT_MAX_BLOB_BYTES);
  }

  /**
   * Creates an empty store.
   *
   * @param maxBlobBytes the largest blob accepted, 1 to {@link Integer#MAX_VALUE}
   */
  public InMemoryBlobStore(long maxBlobBytes) {
    if (maxBlobBytes < 1 || maxBlobBytes > Integer.MAX_VALUE) {
      throw PoolException.invalidArgument(
          "maxBlobBytes", "is " + maxBlobBytes + ", must be in [1, " + Integer.MAX_VALUE + "]");
    }
    this.maxBlobBytes = maxBlobBytes;
  }

  @Override
  public long maxBlobBytes() {
    return maxBlobBytes;
  }

  @Override
  public ContentId put(Bytes content) {
    StoreChecks.notNull("content", content);
    StoreChecks.open(closed, NAME);
    if (content.size() > maxBlobBytes) {
      throw PoolException.invalidArgument(
          "content", "is " + content.size() + " bytes, the limit is " + maxBlobBytes);
    }
    ContentId id = ContentId.of(content);
    blobs.putIfAbsent(id, content);
    return id;
  }

  @Override
  public Optional<Bytes> get(ContentId id) {
    StoreChecks.notNull("id", id);
    StoreChecks.open(closed, NAME);
    return Optional.ofNullable(blobs.get(id));
  }

  @Override
  public boolean delete(ContentId id) {
    StoreChecks.notNull("id", id);
    StoreChecks.open(closed, NAME);
    return blobs.remove(id) != null;
  }

  @Override
  public void close() {
    closed = true;
  }
}
