package io.poolforge.transport.grpc;

import static io.poolforge.transport.grpc.Fixtures.poll;
import static io.poolforge.transport.grpc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.core.store.InMemoryBlobStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Large payloads travel by content id through the coordinator's blob store; gzip on both sides. */
class GrpcBlobAndCompressionTest {
  @Test
  void largePayloadsAndOutputsTravelThroughTheBlobStoreCompressed() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    GrpcCoordinatorTransport coordinator =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .blobStore(store, 1024)
            .compression("gzip")
            .build();
    coordinator.start(acceptor);
    Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
    try (GrpcWorkerTransport t =
        GrpcWorkerTransport.builder("127.0.0.1:" + coordinator.port())
            .token(Fixtures.WORKER_TOKEN)
            .compression("gzip")
            .blobs(1024, 1 << 24)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build()) {
      WorkerConnection c = t.connect(registration("blobby", List.of()), listener);
      c.grant(2);
      assertThat(poll(acceptor.sessions.get("blobby").seen)).isEqualTo(2);

      byte[] big = new byte[200_000];
      new Random(1).nextBytes(big);
      Assignment large = Fixtures.assignment(1, Bytes.wrap(big));
      Assignment small = Fixtures.assignment(2, Bytes.of(new byte[] {7}));
      acceptor.channels.get("blobby").assign(List.of(large, small));
      assertThat(poll(listener.seen)).isEqualTo(large);
      assertThat(poll(listener.seen)).isEqualTo(small);
      assertThat(store.get(ContentId.of(Bytes.wrap(big)))).isPresent();

      byte[] out = new byte[300_000];
      new Random(2).nextBytes(out);
      WorkResult r = Fixtures.result("blobby", 1, Bytes.wrap(out));
      c.sendResults(List.of(r));
      assertThat(poll(acceptor.sessions.get("blobby").seen)).isEqualTo(r);
      assertThat(store.get(ContentId.of(Bytes.wrap(out)))).isPresent();
    } finally {
      coordinator.close();
    }
  }

  @Test
  void withoutABlobStoreAnOversizedAssignmentIsRefusedNamingTheLimit() {
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    GrpcCoordinatorTransport coordinator =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .maxMessageBytes(64 * 1024)
            .build();
    coordinator.start(acceptor);
    try (GrpcWorkerTransport t =
        GrpcWorkerTransport.builder("127.0.0.1:" + coordinator.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build()) {
      WorkerConnection c =
          t.connect(registration("nostore", List.of()), new Fixtures.QueueingListener());
      c.grant(1);
      assertThat(poll(acceptor.sessions.get("nostore").seen)).isEqualTo(1);
      assertThatThrownBy(
              () ->
                  acceptor
                      .channels
                      .get("nostore")
                      .assign(List.of(Fixtures.assignment(1, Bytes.wrap(new byte[100_000])))))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> assertThat(e.getMessage()).contains("assignment.payload", "no blob store"));
    } finally {
      coordinator.close();
    }
  }
}
