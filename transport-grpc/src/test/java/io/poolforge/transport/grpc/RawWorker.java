package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.verify.ResultSigner;
import io.poolforge.transport.grpc.internal.PayloadCodec;
import io.poolforge.transport.grpc.internal.Wire;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.Grant;
import io.poolforge.transport.grpc.v1.LaneHello;
import io.poolforge.transport.grpc.v1.ResultBatch;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A worker that speaks the wire protocol by hand (generated stubs, no WorkerClient), so a test can
 * send what a real client never would on the main stream and the urgent lane. Real Ed25519 key.
 */
final class RawWorker implements AutoCloseable {
  private static final PayloadCodec CODEC = PayloadCodec.inlineOnly(1 << 20);

  final String id;
  final String payout;
  final ResultSigner signer;
  private final KeyPair keys;
  private final ManagedChannel channel;
  final Call main = new Call();
  final Call lane = new Call();

  RawWorker(int port, @Nullable String token, String id, int payoutNumber) {
    this.id = id;
    this.payout = String.format("0x%040x", payoutNumber);
    this.keys = ResultSigner.generateKeyPair();
    this.signer = ResultSigner.of(new WorkerId(id), keys.getPrivate());
    NettyChannelBuilder cb = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      cb.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    channel = cb.build();
  }

  /** Registers on the main stream and returns the urgent lane key the coordinator offered. */
  byte[] register() {
    main.out = WorkerLinkGrpc.newStub(channel).connect(main);
    Registration r =
        new Registration(
            new WorkerInfo(
                new WorkerId(id),
                id,
                payout,
                ResultSigner.encode(keys.getPublic()),
                new Capabilities(
                    Set.of(SigningWorker.SHA.id()),
                    Set.of("cpu"),
                    List.of(),
                    0,
                    1,
                    Set.of(),
                    false)),
            null,
            List.of());
    main.send(WorkerMessage.newBuilder().setRegister(Wire.register(r)).build());
    CoordinatorMessage m = main.next();
    assertThat(m.hasRegistered()).isTrue();
    return m.getRegistered().getUrgentLaneKey().toByteArray();
  }

  void grant(int credits) {
    main.send(WorkerMessage.newBuilder().setGrant(Grant.newBuilder().setCredits(credits)).build());
  }

  /** Opens the urgent lane and sends lane_hello with this worker id (or another) and a key. */
  void openLane(String workerId, byte[] key) {
    startLane();
    lane.send(
        WorkerMessage.newBuilder()
            .setLaneHello(
                LaneHello.newBuilder().setWorkerId(workerId).setKey(ByteString.copyFrom(key)))
            .build());
  }

  /** Starts the urgent lane call without sending anything. */
  void startLane() {
    lane.out = WorkerLinkGrpc.newStub(channel).urgentLane(lane);
  }

  /** The next assignment that arrives on a call. */
  static Assignment assignment(Call call) {
    CoordinatorMessage m = call.next();
    assertThat(m.hasAssignments()).as("an assignment, got %s", m).isTrue();
    return Wire.assignment(m.getAssignments().getAssignments(0), CODEC);
  }

  /** Sends results on a call, as one result message. */
  static void sendResults(Call call, List<WorkResult> results) {
    ResultBatch.Builder b = ResultBatch.newBuilder();
    for (WorkResult r : results) {
      b.addResults(Wire.result(r, CODEC));
    }
    call.send(WorkerMessage.newBuilder().setResults(b).build());
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  /** One call's inbound messages and its end. */
  static final class Call implements StreamObserver<CoordinatorMessage> {
    final BlockingQueue<CoordinatorMessage> in = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    @Nullable StreamObserver<WorkerMessage> out;

    void send(WorkerMessage m) {
      java.util.Objects.requireNonNull(out, "call not started").onNext(m);
    }

    CoordinatorMessage next() {
      return Fixtures.poll(in);
    }

    /** How the call ended (within 10 s). */
    Status status() throws Exception {
      return ended.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      in.add(m);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }
}
