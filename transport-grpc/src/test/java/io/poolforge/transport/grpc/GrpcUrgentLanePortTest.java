package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.LaneHello;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's urgent-lane port: lanes connect there and are served on its own I/O thread;
 * only lanes are served there, to authenticated workers; bad settings are refused.
 */
class GrpcUrgentLanePortTest {
  private static final String LANE_THREAD = "poolforge-grpc-urgent-lane-io";

  /** Records, per task, the name of the thread each result was delivered on. */
  private static final class ThreadRecordingAcceptor implements CoordinatorTransport.Acceptor {
    final Fixtures.QueueingAcceptor queues = new Fixtures.QueueingAcceptor();
    final Map<Long, String> resultThreads = new ConcurrentHashMap<>();

    @Override
    public WorkerSession accept(
        io.poolforge.compute.api.transport.Registration registration, WorkerChannel channel) {
      WorkerSession inner = queues.accept(registration, channel);
      return new WorkerSession() {
        @Override
        public void onCredit(int credits) {
          inner.onCredit(credits);
        }

        @Override
        public void onResults(List<WorkResult> results) {
          for (WorkResult r : results) {
            resultThreads.put(r.lease().task().value(), Thread.currentThread().getName());
          }
          inner.onResults(results);
        }

        @Override
        public void onHeartbeat(io.poolforge.compute.api.transport.Heartbeat heartbeat) {
          inner.onHeartbeat(heartbeat);
        }

        @Override
        public void onCheckpoint(LeaseRef lease, Bytes state) {
          inner.onCheckpoint(lease, state);
        }

        @Override
        public void onClosed(@Nullable PoolException reason) {
          inner.onClosed(reason);
        }
      };
    }
  }

  private static GrpcCoordinatorTransport coordinator(int lanePort) {
    return GrpcCoordinatorTransport.builder()
        .host("127.0.0.1")
        .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
        .urgentLanePort(lanePort)
        .build();
  }

  @Test
  void anUrgentResultComesInOnTheLanePortsOwnThreadAndABulkOneDoesNot() {
    ThreadRecordingAcceptor acceptor = new ThreadRecordingAcceptor();
    try (GrpcCoordinatorTransport coordinator = coordinator(0)) {
      coordinator.start(acceptor);
      assertThat(coordinator.urgentLanePort()).isPositive().isNotEqualTo(coordinator.port());
      try (GrpcWorkerTransport workers =
          GrpcWorkerTransport.builder("127.0.0.1:" + coordinator.port())
              .token(Fixtures.WORKER_TOKEN)
              .urgentLaneTarget("127.0.0.1:" + coordinator.urgentLanePort())
              .reconnect(Duration.ZERO, Duration.ofMillis(100))
              .build()) {
        Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
        WorkerConnection c = workers.connect(Fixtures.registration("w", List.of()), listener);
        Fixtures.awaitLane(c);
        c.grant(2);
        Fixtures.QueueingSession session = acceptor.queues.sessions.get("w");
        assertThat(Fixtures.poll(session.seen)).isEqualTo(2);
        WorkerChannel channel = acceptor.queues.channels.get("w");
        channel.assign(
            List.of(Fixtures.assignment(1, Priority.NORMAL), Fixtures.assignment(2, Priority.MAX)));
        Fixtures.poll(listener.seen);
        Fixtures.poll(listener.seen);
        c.sendResults(List.of(Fixtures.result("w", 1, Bytes.of(new byte[] {1}))));
        c.sendResults(List.of(Fixtures.result("w", 2, Bytes.of(new byte[] {2}))));
        Fixtures.poll(session.seen);
        Fixtures.poll(session.seen);
        assertThat(acceptor.resultThreads).containsEntry(2L, LANE_THREAD);
        assertThat(acceptor.resultThreads.get(1L)).isNotEqualTo(LANE_THREAD);
      }
    }
  }

  @Test
  void withoutTheSettingLanesAreServedOnTheMainPortAlone() {
    try (GrpcCoordinatorTransport coordinator =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .build()) {
      coordinator.start(new Fixtures.QueueingAcceptor());
      assertThat(coordinator.urgentLanePort()).isEqualTo(-1);
    }
  }

  @Test
  void theLanePortServesOnlyLanesAndOnlyToAuthenticatedCallers() throws Exception {
    try (GrpcCoordinatorTransport coordinator = coordinator(0)) {
      coordinator.start(new Fixtures.QueueingAcceptor());
      // a worker that takes the lane port for the coordinator cannot open its main stream there
      try (GrpcWorkerTransport wrong =
          GrpcWorkerTransport.builder("127.0.0.1:" + coordinator.urgentLanePort())
              .token(Fixtures.WORKER_TOKEN)
              .reconnect(Duration.ZERO, Duration.ofMillis(100))
              .build()) {
        assertThatThrownBy(
                () ->
                    wrong.connect(
                        Fixtures.registration("lost", List.of()), new Fixtures.QueueingListener()))
            .isInstanceOf(PoolException.class)
            .hasMessageContaining("UNIMPLEMENTED");
      }
      // a caller with no token is refused there before anything else happens
      ManagedChannel raw =
          NettyChannelBuilder.forTarget("127.0.0.1:" + coordinator.urgentLanePort())
              .usePlaintext()
              .build();
      try {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<WorkerMessage> out =
            WorkerLinkGrpc.newStub(raw)
                .urgentLane(
                    new StreamObserver<CoordinatorMessage>() {
                      @Override
                      public void onNext(CoordinatorMessage value) {}

                      @Override
                      public void onError(Throwable t) {
                        ended.complete(t);
                      }

                      @Override
                      public void onCompleted() {
                        ended.complete(null);
                      }
                    });
        out.onNext(
            WorkerMessage.newBuilder()
                .setLaneHello(LaneHello.newBuilder().setWorkerId("w"))
                .build());
        Throwable t = ended.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) t).getStatus().getCode())
            .isEqualTo(Status.Code.UNAUTHENTICATED);
      } finally {
        raw.shutdownNow();
      }
    }
  }

  @Test
  void badSettingsAreRefusedWithTheFieldAndTheLimit() {
    assertThatThrownBy(() -> GrpcCoordinatorTransport.builder().urgentLanePort(-1))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("urgentLanePort")
        .hasMessageContaining("0-65535");
    assertThatThrownBy(() -> GrpcCoordinatorTransport.builder().urgentLanePort(65_536))
        .hasMessageContaining("urgentLanePort");
    assertThatThrownBy(
            () ->
                GrpcCoordinatorTransport.builder()
                    .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
                    .port(41_234)
                    .urgentLanePort(41_234)
                    .build())
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("urgentLanePort")
        .hasMessageContaining("main port");
    assertThatThrownBy(() -> GrpcWorkerTransport.builder("127.0.0.1:1").urgentLaneTarget(" "))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("urgentLaneTarget");
  }

  @Test
  void aLanePortInUseFailsTheStartAndFreesTheMainPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      GrpcCoordinatorTransport coordinator = coordinator(taken.getLocalPort());
      try {
        assertThatThrownBy(() -> coordinator.start(new Fixtures.QueueingAcceptor()))
            .isInstanceOfSatisfying(
                PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
            .hasMessageContaining("urgent lanes")
            .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        assertThatThrownBy(coordinator::port)
            .as("nothing is left listening")
            .isInstanceOf(PoolException.class);
      } finally {
        coordinator.close();
      }
    }
  }
}
