package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The worker's gRPC connection sends an urgent task's result ahead of the result messages still
 * queued for its stream (here with no urgent lane, so the main stream carries everything): the
 * coordinator handles the worker's messages one at a time, its work executor is held shut, so the
 * worker's stream fills up and the later bulk results wait in the connection's queue. No timing.
 */
class WorkerClientUrgentFirstTest {
  private static final int BULK = 200;

  @Test
  void anUrgentResultGoesAheadOfQueuedResultMessages() throws Exception {
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    try (GatedExecutor work = new GatedExecutor();
        GrpcCoordinatorTransport coordinator =
            GrpcCoordinatorTransport.builder()
                .host("127.0.0.1")
                .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
                .executor(work)
                .build();
        GrpcWorkerTransport workers =
            GrpcWorkerTransport.builder("127.0.0.1:" + startedPort(coordinator, acceptor))
                .token(Fixtures.WORKER_TOKEN)
                .urgentLane(false)
                .reconnect(Duration.ZERO, Duration.ofMillis(100))
                .build()) {
      Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
      WorkerConnection c = workers.connect(Fixtures.registration("w", List.of()), listener);
      c.grant(BULK + 1);
      Fixtures.QueueingSession session = acceptor.sessions.get("w");
      assertThat(Fixtures.poll(session.seen)).isEqualTo(BULK + 1);

      WorkerChannel channel = acceptor.channels.get("w");
      List<Assignment> assignments = new ArrayList<>();
      for (int i = 1; i <= BULK + 1; i++) {
        assignments.add(
            new Assignment(
                new LeaseRef(new TaskId(i), 1),
                "sha256",
                Bytes.of(new byte[] {1}),
                Instant.parse("2030-01-01T00:00:00Z"),
                null,
                i == BULK + 1 ? Priority.MAX : Priority.NORMAL));
      }
      channel.assign(assignments);
      for (int i = 0; i <= BULK; i++) {
        Fixtures.poll(listener.seen);
      }

      work.shut();
      // 200 x 32 KiB: far more than the stream's 1 MiB flow-control window holds
      for (int i = 1; i <= BULK; i++) {
        c.sendResults(List.of(Fixtures.result("w", i, Bytes.of(new byte[32 * 1024]))));
      }
      c.sendResults(List.of(Fixtures.result("w", BULK + 1, Bytes.of(new byte[32]))));
      work.open();

      List<Long> order = new ArrayList<>();
      while (order.size() < BULK + 1) {
        Object o = Fixtures.poll(session.seen);
        if (o instanceof WorkResult r) {
          order.add(r.lease().task().value());
        }
      }
      int urgentAt = order.indexOf((long) BULK + 1);
      assertThat(BULK - urgentAt)
          .as("bulk results that arrived after the urgent one (urgent at %d of %d)", urgentAt, BULK)
          .isGreaterThanOrEqualTo(100);
    }
  }

  private static int startedPort(GrpcCoordinatorTransport t, Fixtures.QueueingAcceptor a) {
    t.start(a);
    return t.port();
  }
}
