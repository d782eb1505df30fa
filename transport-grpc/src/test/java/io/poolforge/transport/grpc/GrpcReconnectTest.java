package io.poolforge.transport.grpc;

import static io.poolforge.transport.grpc.Fixtures.poll;
import static io.poolforge.transport.grpc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A coordinator restart: the worker reconnects with backoff, registers the leases it still holds,
 * re-grants its unused credit, and delivers the results it produced while disconnected.
 */
class GrpcReconnectTest {
  private static GrpcCoordinatorTransport coordinator(
      int port, Fixtures.QueueingAcceptor acceptor) {
    PoolException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      GrpcCoordinatorTransport t =
          GrpcCoordinatorTransport.builder()
              .host("127.0.0.1")
              .port(port)
              .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
              .build();
      try {
        t.start(acceptor);
        return t;
      } catch (PoolException e) {
        last = e; // the old socket may linger a moment
        t.close();
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  @Test
  void aWorkerResumesItsLeasesAfterTheCoordinatorRestarts() {
    Fixtures.QueueingAcceptor first = new Fixtures.QueueingAcceptor();
    GrpcCoordinatorTransport a = coordinator(0, first);
    int port = a.port();
    Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
    try (GrpcWorkerTransport t =
        GrpcWorkerTransport.builder("127.0.0.1:" + port)
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ofSeconds(30), Duration.ofMillis(400))
            .build()) {
      WorkerConnection c = t.connect(registration("phoenix", List.of()), listener);
      c.grant(5);
      assertThat(poll(first.sessions.get("phoenix").seen)).isEqualTo(5);
      first
          .channels
          .get("phoenix")
          .assign(
              List.of(
                  Fixtures.assignment(1, Bytes.of(new byte[] {1})),
                  Fixtures.assignment(2, Bytes.of(new byte[] {2})),
                  Fixtures.assignment(3, Bytes.of(new byte[] {3}))));
      for (int i = 0; i < 3; i++) {
        poll(listener.seen);
      }
      WorkResult r1 = Fixtures.result("phoenix", 1, Bytes.of(new byte[] {11}));
      c.sendResults(List.of(r1));
      assertThat(poll(first.sessions.get("phoenix").seen)).isEqualTo(r1);

      a.close();
      assertThat(poll(first.sessions.get("phoenix").seen)).isInstanceOf(PoolException.class);
      WorkResult r2 = Fixtures.result("phoenix", 2, Bytes.of(new byte[] {22}));
      c.sendResults(List.of(r2)); // produced while disconnected: queued, not lost

      Fixtures.QueueingAcceptor second = new Fixtures.QueueingAcceptor();
      GrpcCoordinatorTransport b = coordinator(port, second);
      try {
        Registration again = poll(second.registrations);
        // the lease still being worked on, and the one whose result waits in the outbound queue
        assertThat(again.heldLeases())
            .containsExactlyInAnyOrder(
                new LeaseRef(new TaskId(3), 1), new LeaseRef(new TaskId(2), 1));
        Fixtures.QueueingSession s = second.sessions.get("phoenix");
        assertThat(poll(s.seen)).as("unused credit re-granted").isEqualTo(2);
        assertThat(poll(s.seen)).isEqualTo(r2);
        WorkResult r3 = Fixtures.result("phoenix", 3, Bytes.of(new byte[] {33}));
        c.sendResults(List.of(r3));
        assertThat(poll(s.seen)).isEqualTo(r3);
        assertThat(listener.seen).as("the worker saw no close").isEmpty();
      } finally {
        b.close();
      }
    }
  }

  @Test
  void aWorkerGivesUpWhenTheCoordinatorStaysAway() {
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    GrpcCoordinatorTransport a = coordinator(0, acceptor);
    Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
    try (GrpcWorkerTransport t =
        GrpcWorkerTransport.builder("127.0.0.1:" + a.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ofMillis(800), Duration.ofMillis(200))
            .build()) {
      t.connect(registration("mortal", List.of()), listener);
      a.close();
      Object closed = poll(listener.seen);
      assertThat(closed)
          .isInstanceOfSatisfying(PoolException.class, e -> assertThat(e.retryable()).isTrue());
    }
  }
}
