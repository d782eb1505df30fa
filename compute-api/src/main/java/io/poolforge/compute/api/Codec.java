package io.poolforge.compute.api;

/**
 * Encodes values of one type to bytes and back. A task kind has one codec for its input and one for
 * its output; they define the wire format every backend, store and transport sees.
 *
 * <p>Implementations must be stateless and thread-safe; they do not block.
 *
 * @param <T> the value type
 * @since 0.1.0
 */
public interface Codec<T> {
  /**
   * Encodes a value.
   *
   * @param value a valid value
   * @return its bytes
   */
  Bytes encode(T value);

  /**
   * Decodes bytes, checking every limit of the format.
   *
   * @param bytes the encoded form
   * @return the value
   * @throws PoolException INVALID_ARGUMENT naming the field and limit when the bytes are malformed
   */
  T decode(Bytes bytes);
}
