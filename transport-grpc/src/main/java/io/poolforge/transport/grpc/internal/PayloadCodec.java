package io.poolforge.transport.grpc.internal;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.transport.grpc.v1.Payload;

/**
 * Puts bytes on the wire inline, or, above a threshold, into a blob store and sends the content id.
 *
 * <p>Implementations are thread-safe; {@link #encode} and {@link #decode} may block on blob I/O.
 */
public interface PayloadCodec {
  /**
   * The wire form of {@code bytes}.
   *
   * @param field the field name for error messages
   * @param bytes the bytes
   * @return the payload message
   * @throws PoolException INVALID_ARGUMENT if too large to send and no blob store is configured
   */
  Payload encode(String field, Bytes bytes);

  /**
   * The bytes of a wire payload, fetching a blob by content id where needed.
   *
   * @param field the field name for error messages
   * @param payload the payload message
   * @return the bytes
   * @throws PoolException INVALID_ARGUMENT for an unknown or corrupt blob
   */
  Bytes decode(String field, Payload payload);

  /**
   * Inline only: bytes up to {@code maxInline} travel inline; larger ones are refused, naming the
   * field and the limit; blob ids are refused.
   *
   * @param maxInline the largest inline payload
   * @return the codec
   */
  static PayloadCodec inlineOnly(int maxInline) {
    return new PayloadCodec() {
      @Override
      public Payload encode(String field, Bytes bytes) {
        if (bytes.size() > maxInline) {
          throw PoolException.invalidArgument(
              field,
              "is "
                  + bytes.size()
                  + " bytes, the inline limit is "
                  + maxInline
                  + " bytes and no blob store is configured for larger payloads");
        }
        return Payload.newBuilder()
            .setInline(
                com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyBuffer()))
            .build();
      }

      @Override
      public Bytes decode(String field, Payload payload) {
        return switch (payload.getBodyCase()) {
          case INLINE -> Bytes.wrap(payload.getInline().toByteArray());
          case BODY_NOT_SET -> Bytes.EMPTY;
          case BLOB_ID ->
              throw PoolException.invalidArgument(
                  field,
                  "refers to blob " + payload.getBlobId() + " but no blob store is configured");
        };
      }
    };
  }
}
