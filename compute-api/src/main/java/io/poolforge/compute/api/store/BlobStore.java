package io.poolforge.compute.api.store;

import io.poolforge.compute.api.Bytes;
import java.util.Optional;

/**
 * Content-addressed storage of large payloads and results, which then travel by {@link ContentId}
 * instead of inline.
 *
 * <p>Implementations are thread-safe; every method may block on I/O.
 *
 * @since 0.1.0
 */
public interface BlobStore extends AutoCloseable {
  /**
   * The largest blob accepted.
   *
   * @return the limit in bytes
   */
  long maxBlobBytes();

  /**
   * Stores content; storing the same content twice is a no-op.
   *
   * @param content the content
   * @return its id
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT naming the limit if larger than
   *     {@link #maxBlobBytes()}
   */
  ContentId put(Bytes content);

  /**
   * Reads content.
   *
   * @param id its id
   * @return the content, or empty if not stored
   */
  Optional<Bytes> get(ContentId id);

  /**
   * Deletes content.
   *
   * @param id its id
   * @return true if it was stored
   */
  boolean delete(ContentId id);

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
