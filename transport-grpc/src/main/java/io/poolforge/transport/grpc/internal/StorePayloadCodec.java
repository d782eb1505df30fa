package io.poolforge.transport.grpc.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.transport.grpc.v1.Payload;

/**
 * The coordinator's payload codec: large payloads go to its {@link BlobStore} and travel by content
 * id; blob ids sent by workers are resolved from the same store and checked against their content.
 *
 * <p>Thread-safe when the store is; may block on the store.
 */
public final class StorePayloadCodec implements PayloadCodec {
  private final BlobStore store;
  private final int inlineLimit;

  /**
   * Creates the codec.
   *
   * @param store the blob store
   * @param inlineLimit payloads up to this many bytes travel inline
   */
  public StorePayloadCodec(BlobStore store, int inlineLimit) {
    this.store = store;
    this.inlineLimit = inlineLimit;
  }

  @Override
  public Payload encode(String field, Bytes bytes) {
    if (bytes.size() <= inlineLimit) {
      return Payload.newBuilder()
          .setInline(UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyBuffer()))
          .build();
    }
    if (bytes.size() > store.maxBlobBytes()) {
      throw PoolException.invalidArgument(
          field, "is " + bytes.size() + " bytes, the blob store limit is " + store.maxBlobBytes());
    }
    return Payload.newBuilder().setBlobId(store.put(bytes).value()).build();
  }

  @Override
  public Bytes decode(String field, Payload payload) {
    return switch (payload.getBodyCase()) {
      case INLINE -> Bytes.wrap(payload.getInline().toByteArray());
      case BODY_NOT_SET -> Bytes.EMPTY;
      case BLOB_ID -> {
        ContentId id;
        try {
          id = new ContentId(payload.getBlobId());
        } catch (PoolException e) {
          throw PoolException.invalidArgument(field, "blob id: " + e.getMessage());
        }
        Bytes bytes =
            store
                .get(id)
                .orElseThrow(
                    () ->
                        new PoolException(
                            ErrorCode.NOT_FOUND,
                            field,
                            field + ": blob " + id + " is not in the blob store",
                            null));
        if (!ContentId.of(bytes).equals(id)) {
          throw PoolException.invalidArgument(field, "blob " + id + " does not match its content");
        }
        yield bytes;
      }
    };
  }
}
