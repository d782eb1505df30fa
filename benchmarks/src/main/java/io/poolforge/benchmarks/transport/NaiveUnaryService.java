package io.poolforge.benchmarks.transport;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.poolforge.compute.api.transport.Assignment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The naive baseline: one unary call per task. The request carries the previous task's id and hash
 * (or nothing), the reply the next task's id and payload (or nothing when the queue is empty).
 *
 * <p>Thread-safe.
 */
final class NaiveUnaryService {
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> NEXT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("poolforge.bench.Naive/Next")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  private NaiveUnaryService() {}

  static ServerServiceDefinition definition(BenchDriver driver) {
    return ServerServiceDefinition.builder("poolforge.bench.Naive")
        .addMethod(
            NEXT,
            ServerCalls.asyncUnaryCall(
                (request, out) -> {
                  if (request.length >= 8) {
                    driver.completed(ByteBuffer.wrap(request).getLong());
                  }
                  Assignment a = driver.poll();
                  if (a == null) {
                    out.onNext(new byte[0]);
                  } else {
                    byte[] p = a.payload().toByteArray();
                    out.onNext(
                        ByteBuffer.allocate(8 + p.length)
                            .putLong(a.lease().task().value())
                            .put(p)
                            .array());
                  }
                  out.onCompleted();
                }))
        .build();
  }
}
