package io.poolforge.transport.grpc.internal;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.transport.grpc.v1.BlobChunk;
import io.poolforge.transport.grpc.v1.BlobRef;
import io.poolforge.transport.grpc.v1.BlobsGrpc;
import java.io.ByteArrayOutputStream;

/**
 * Serves the coordinator's {@link BlobStore} to workers: large payloads are fetched and large
 * outputs uploaded here, in chunks below the message size limit.
 *
 * <p>Thread-safe when the store is; blocks on the store.
 */
public final class BlobService extends BlobsGrpc.BlobsImplBase {
  /** The chunk size used in both directions. */
  public static final int CHUNK = 1 << 20;

  private final BlobStore store;

  /**
   * Creates the service.
   *
   * @param store the store
   */
  public BlobService(BlobStore store) {
    this.store = store;
  }

  @Override
  public void get(BlobRef request, StreamObserver<BlobChunk> out) {
    try {
      ContentId id = new ContentId(request.getId());
      Bytes bytes =
          store
              .get(id)
              .orElseThrow(
                  () -> new PoolException(ErrorCode.NOT_FOUND, "blob " + id + " is not stored"));
      byte[] data = bytes.toByteArray();
      for (int off = 0; off < data.length || off == 0; off += CHUNK) {
        out.onNext(
            BlobChunk.newBuilder()
                .setData(ByteString.copyFrom(data, off, Math.min(CHUNK, data.length - off)))
                .build());
        if (data.length == 0) {
          break;
        }
      }
      out.onCompleted();
    } catch (PoolException e) {
      out.onError(Errors.toStatus(e));
    }
  }

  @Override
  public StreamObserver<BlobChunk> put(StreamObserver<BlobRef> out) {
    return new StreamObserver<>() {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      private boolean failed;

      @Override
      public void onNext(BlobChunk chunk) {
        if (failed) {
          return;
        }
        if ((long) buffer.size() + chunk.getData().size() > store.maxBlobBytes()) {
          failed = true;
          out.onError(
              Errors.toStatus(
                  PoolException.invalidArgument(
                      "blob",
                      "exceeds the blob store limit of " + store.maxBlobBytes() + " bytes")));
          return;
        }
        buffer.writeBytes(chunk.getData().toByteArray());
      }

      @Override
      public void onError(Throwable t) {
        failed = true;
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        try {
          ContentId id = store.put(Bytes.wrap(buffer.toByteArray()));
          out.onNext(BlobRef.newBuilder().setId(id.value()).build());
          out.onCompleted();
        } catch (PoolException e) {
          out.onError(Errors.toStatus(e));
        }
      }
    };
  }
}
