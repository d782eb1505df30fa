package io.poolforge.transport.grpc.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.transport.grpc.v1.BlobChunk;
import io.poolforge.transport.grpc.v1.BlobRef;
import io.poolforge.transport.grpc.v1.BlobsGrpc;
import io.poolforge.transport.grpc.v1.Payload;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's payload codec: outputs above the inline limit are uploaded to the coordinator's Blobs
 * service and sent by content id; assignments that arrive by content id are fetched from it and
 * checked against the id.
 *
 * <p>Thread-safe; blocks on blob transfers, bounded by the deadline.
 */
public final class RemotePayloadCodec implements PayloadCodec {
  private final BlobsGrpc.BlobsBlockingStub blocking;
  private final BlobsGrpc.BlobsStub async;
  private final int inlineLimit;
  private final long maxBlobBytes;
  private final Duration deadline;

  /**
   * Creates the codec.
   *
   * @param blocking the blocking stub
   * @param async the async stub
   * @param inlineLimit payloads up to this size travel inline
   * @param maxBlobBytes the largest blob fetched
   * @param deadline the deadline of one transfer
   */
  public RemotePayloadCodec(
      BlobsGrpc.BlobsBlockingStub blocking,
      BlobsGrpc.BlobsStub async,
      int inlineLimit,
      long maxBlobBytes,
      Duration deadline) {
    this.blocking = blocking;
    this.async = async;
    this.inlineLimit = inlineLimit;
    this.maxBlobBytes = maxBlobBytes;
    this.deadline = deadline;
  }

  @Override
  public Payload encode(String field, Bytes bytes) {
    if (bytes.size() <= inlineLimit) {
      return Payload.newBuilder()
          .setInline(UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyBuffer()))
          .build();
    }
    CompletableFuture<String> id = new CompletableFuture<>();
    StreamObserver<BlobChunk> up =
        async
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .put(
                new StreamObserver<>() {
                  @Override
                  public void onNext(BlobRef ref) {
                    id.complete(ref.getId());
                  }

                  @Override
                  public void onError(Throwable t) {
                    id.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    id.completeExceptionally(new IllegalStateException("no blob id returned"));
                  }
                });
    byte[] data = bytes.toByteArray();
    for (int off = 0; off < data.length; off += BlobService.CHUNK) {
      up.onNext(
          BlobChunk.newBuilder()
              .setData(
                  com.google.protobuf.ByteString.copyFrom(
                      data, off, Math.min(BlobService.CHUNK, data.length - off)))
              .build());
    }
    up.onCompleted();
    try {
      String got = id.get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (!ContentId.of(bytes).value().equals(got)) {
        throw PoolException.invalidArgument(
            field, "the coordinator stored it as " + got + ", which does not match its content");
      }
      return Payload.newBuilder().setBlobId(got).build();
    } catch (ExecutionException e) {
      throw Errors.toPoolException(e.getCause(), "upload " + field);
    } catch (TimeoutException e) {
      throw Errors.toPoolException(
          io.grpc.Status.DEADLINE_EXCEEDED.asRuntimeException(), "upload " + field);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.toPoolException(
          io.grpc.Status.CANCELLED.asRuntimeException(), "upload " + field);
    }
  }

  @Override
  public Bytes decode(String field, Payload payload) {
    return switch (payload.getBodyCase()) {
      case INLINE -> Bytes.wrap(payload.getInline().toByteArray());
      case BODY_NOT_SET -> Bytes.EMPTY;
      case BLOB_ID -> fetch(field, payload.getBlobId());
    };
  }

  private Bytes fetch(String field, String blobId) {
    ContentId id = new ContentId(blobId);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try {
      Iterator<BlobChunk> chunks =
          blocking
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .get(BlobRef.newBuilder().setId(blobId).build());
      while (chunks.hasNext()) {
        BlobChunk c = chunks.next();
        if (buffer.size() + (long) c.getData().size() > maxBlobBytes) {
          throw PoolException.invalidArgument(
              field, "blob " + id + " exceeds " + maxBlobBytes + " bytes");
        }
        c.getData().writeTo(buffer);
      }
    } catch (RuntimeException | java.io.IOException e) {
      if (e instanceof PoolException p) {
        throw p;
      }
      throw Errors.toPoolException(e, "fetch " + field + " blob " + id);
    }
    Bytes bytes = Bytes.wrap(buffer.toByteArray());
    if (!ContentId.of(bytes).equals(id)) {
      throw PoolException.invalidArgument(field, "blob " + id + " does not match its content");
    }
    return bytes;
  }
}
