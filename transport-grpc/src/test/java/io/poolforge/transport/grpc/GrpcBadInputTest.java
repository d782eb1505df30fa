package io.poolforge.transport.grpc;

import static io.poolforge.transport.grpc.Fixtures.poll;
import static io.poolforge.transport.grpc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.transport.grpc.internal.Wire;
import io.poolforge.transport.grpc.v1.Grant;
import io.poolforge.transport.grpc.v1.Heartbeat;
import io.poolforge.transport.grpc.v1.Payload;
import io.poolforge.transport.grpc.v1.Register;
import io.poolforge.transport.grpc.v1.ResultBatch;
import io.poolforge.transport.grpc.v1.WorkResult;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized, out-of-order and too-frequent messages sent by a misbehaving worker over
 * raw gRPC: each is refused with a clear status, and a well-behaved worker on the same coordinator
 * keeps working.
 */
class GrpcBadInputTest {
  private static final int LIMIT = 64 * 1024;

  private GrpcCoordinatorTransport coordinator;
  private final Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
  private ManagedChannel raw;
  private GrpcWorkerTransport goodTransport;
  private WorkerConnection good;
  private final Fixtures.QueueingListener goodListener = new Fixtures.QueueingListener();

  @BeforeEach
  void start() {
    coordinator =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .maxMessageBytes(LIMIT)
            .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC))
            .rateLimit(1, 8)
            .build();
    coordinator.start(acceptor);
    raw = ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.port()).usePlaintext().build();
    goodTransport =
        GrpcWorkerTransport.builder("127.0.0.1:" + coordinator.port())
            .token(Fixtures.WORKER_TOKEN)
            .maxMessageBytes(LIMIT)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build();
    good = goodTransport.connect(registration("good", List.of()), goodListener);
  }

  @AfterEach
  void stop() throws InterruptedException {
    goodTransport.close();
    raw.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    coordinator.close();
  }

  /** The good worker still gets its grant through and receives an assignment. */
  private void goodWorkerStillServed() {
    good.grant(1);
    assertThat(poll(acceptor.sessions.get("good").seen)).isEqualTo(1);
    acceptor
        .channels
        .get("good")
        .assign(List.of(Fixtures.assignment(77, Bytes.of(new byte[] {1}))));
    assertThat(poll(goodListener.seen))
        .isEqualTo(Fixtures.assignment(77, Bytes.of(new byte[] {1})));
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
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

  private static final MethodDescriptor<byte[], byte[]> RAW_CONNECT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(WorkerLinkGrpc.getConnectMethod().getFullMethodName())
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  /** Sends raw frames and returns the status the coordinator ends the call with. */
  private Status send(byte[]... frames) throws Exception {
    ClientCall<byte[], byte[]> call = raw.newCall(RAW_CONNECT, CallOptions.DEFAULT);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + Fixtures.WORKER_TOKEN);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    for (byte[] f : frames) {
      call.sendMessage(f);
    }
    return closed.get(10, TimeUnit.SECONDS);
  }

  private static byte[] register(String id) {
    return WorkerMessage.newBuilder()
        .setRegister(Wire.register(registration(id, List.of())))
        .build()
        .toByteArray();
  }

  private static byte[] heartbeat() {
    return WorkerMessage.newBuilder()
        .setHeartbeat(Heartbeat.newBuilder().setCpuLoad(0.5))
        .build()
        .toByteArray();
  }

  @Test
  void malformedBytesAreRefused() throws Exception {
    Status s = send(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
    assertThat(s.isOk()).isFalse();
    assertThat(s.getCode())
        .isIn(Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.INVALID_ARGUMENT);
    goodWorkerStillServed();
  }

  @Test
  void aMalformedWorkerIdIsInvalidArgumentNamingTheField() throws Exception {
    Register r =
        Register.newBuilder(Wire.register(registration("x", List.of())))
            .setWorker(
                Wire.register(registration("x", List.of())).getWorker().toBuilder()
                    .setId("bad id!"))
            .build();
    Status s = send(WorkerMessage.newBuilder().setRegister(r).build().toByteArray());
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("workerId");
    goodWorkerStillServed();
  }

  @Test
  void theFirstMessageMustBeRegister() throws Exception {
    Status s = send(heartbeat());
    assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(s.getDescription()).contains("register");
  }

  @Test
  void aSecondRegisterIsRefused() throws Exception {
    Status s = send(register("twice"), register("twice"));
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("register", "twice");
  }

  @Test
  void aZeroGrantIsRefused() throws Exception {
    Status s =
        send(
            register("zero"),
            WorkerMessage.newBuilder()
                .setGrant(Grant.newBuilder().setCredits(0))
                .build()
                .toByteArray());
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("credits");
    goodWorkerStillServed();
  }

  @Test
  void aMessageWithoutABodyIsRefused() throws Exception {
    Status s = send(register("empty"), new byte[0]);
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("no body");
  }

  @Test
  void aResultWithoutALeaseIsRefused() throws Exception {
    byte[] results =
        WorkerMessage.newBuilder()
            .setResults(
                ResultBatch.newBuilder()
                    .addResults(WorkResult.newBuilder().setWorkerId("nolease").setBackend("cpu")))
            .build()
            .toByteArray();
    Status s = send(register("nolease"), results);
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("result.lease");
  }

  @Test
  void anOversizedMessageIsRefusedWithResourceExhausted() throws Exception {
    byte[] big =
        WorkerMessage.newBuilder()
            .setResults(
                ResultBatch.newBuilder()
                    .addResults(
                        WorkResult.newBuilder()
                            .setLease(
                                io.poolforge.transport.grpc.v1.LeaseRef.newBuilder()
                                    .setTaskId(1)
                                    .setAttempt(1))
                            .setWorkerId("big")
                            .setBackend("cpu")
                            .setOutput(
                                Payload.newBuilder()
                                    .setInline(ByteString.copyFrom(new byte[LIMIT + 1])))))
            .build()
            .toByteArray();
    Status s = send(register("big"), big);
    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(s.getDescription()).contains("message", "limit is " + LIMIT);
    goodWorkerStillServed();
  }

  @Test
  void aMessageFarAboveTheLimitIsCutOffByTheFraming() throws Exception {
    byte[] huge =
        WorkerMessage.newBuilder()
            .setCheckpoint(
                io.poolforge.transport.grpc.v1.Checkpoint.newBuilder()
                    .setLease(
                        io.poolforge.transport.grpc.v1.LeaseRef.newBuilder()
                            .setTaskId(1)
                            .setAttempt(1))
                    .setState(
                        Payload.newBuilder().setInline(ByteString.copyFrom(new byte[4 * LIMIT]))))
            .build()
            .toByteArray();
    Status s = send(register("huge"), huge);
    // gRPC's deframer refuses it before it is parsed; the peer sees the stream reset
    assertThat(s.getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED);
    assertThat(poll(acceptor.sessions.get("huge").seen)).isInstanceOf(PoolException.class);
    goodWorkerStillServed();
  }

  @Test
  void theWorkerClientRefusesAnOversizedResultBeforeSendingIt() {
    assertThatThrownBy(
            () ->
                good.sendResults(List.of(Fixtures.result("good", 1, Bytes.wrap(new byte[LIMIT])))))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("results[0]", String.valueOf(LIMIT));
            });
    goodWorkerStillServed();
  }

  @Test
  void aWorkerAboveTheRateLimitIsDisconnected() throws Exception {
    // burst 8 on a stopped clock: register + 7 heartbeats pass, the 9th message is one too many
    byte[][] frames = new byte[10][];
    frames[0] = register("chatty");
    for (int i = 1; i < frames.length; i++) {
      frames[i] = heartbeat();
    }
    Status s = send(frames);
    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(s.getDescription()).contains("rate limit", "chatty");
    long beats =
        acceptor.sessions.get("chatty").seen.stream()
            .filter(o -> o instanceof io.poolforge.compute.api.transport.Heartbeat)
            .count();
    assertThat(beats).isEqualTo(7);
    goodWorkerStillServed();
  }

  @Test
  void aWorkerThatNeverGrantsCreditGetsNothing() {
    assertThatThrownBy(
            () ->
                acceptor.channels.get("good").assign(List.of(Fixtures.assignment(5, Bytes.EMPTY))))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
    assertThat(goodListener.seen).isEmpty();
  }
}
