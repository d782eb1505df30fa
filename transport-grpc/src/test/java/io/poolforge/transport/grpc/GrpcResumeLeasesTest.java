package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.Sha256Input;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's connection drops and comes back (through a TCP proxy the test cuts): the worker
 * re-registers with the leases it still holds, the coordinator keeps those still leased to it
 * (nobody else gets them, the same attempt completes) and revokes the rest as void; leases not
 * resumed within the lease duration go to other workers.
 */
class GrpcResumeLeasesTest {
  private GrpcCoordinatorTransport transport;
  private Pool pool;
  private CuttableProxy proxy;
  private GrpcWorkerTransport viaProxy;
  private GrpcWorkerTransport direct;

  void start(Duration lease) throws Exception {
    transport =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .build();
    pool =
        Coordinator.builder()
            .kind(SigningWorker.SHA)
            .transport(transport)
            .leaseDuration(lease)
            .tickInterval(Duration.ofMillis(50))
            .build();
    proxy = new CuttableProxy(transport.port());
    viaProxy =
        GrpcWorkerTransport.builder("127.0.0.1:" + proxy.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ofSeconds(30), Duration.ofMillis(200))
            .build();
    direct =
        GrpcWorkerTransport.builder("127.0.0.1:" + transport.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build();
  }

  @AfterEach
  void stop() {
    viaProxy.close();
    direct.close();
    proxy.close();
    pool.close();
  }

  private TaskHandle submit(String text) {
    return pool.submit(
        SigningWorker.SHA, Sha256Input.of(Bytes.of(text.getBytes(StandardCharsets.UTF_8))));
  }

  private void awaitState(TaskId id, TaskState state, int attempts) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.status(id).state() != state || pool.status(id).attempts() != attempts) {
      assertThat(System.nanoTime())
          .as("%s reaches %s with %d attempts: %s", id, state, attempts, pool.status(id))
          .isLessThan(end);
      Thread.sleep(20);
    }
  }

  @Test
  void aReconnectingWorkerKeepsItsValidLeasesAndIsToldTheVoidOnes() throws Exception {
    start(Duration.ofSeconds(30));
    SigningWorker w = new SigningWorker(viaProxy, "flaky", 1);
    TaskHandle a = submit("a");
    TaskHandle b = submit("b");
    TaskHandle c = submit("c");
    w.connection.grant(3);
    Map<TaskId, Assignment> got = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Assignment x = w.nextAssignment();
      got.put(x.lease().task(), x);
    }
    assertThat(got).containsOnlyKeys(a.id(), b.id(), c.id());
    w.connection.sendResults(List.of(w.answer(got.get(a.id()))));
    assertThat(a.result().get(10, TimeUnit.SECONDS).worker().value()).isEqualTo("flaky");
    awaitState(b.id(), TaskState.RUNNING, 1);

    proxy.down(); // the network drops; the worker keeps b and c and retries with backoff
    // while it is away, c is cancelled: its lease becomes void
    assertThat(pool.cancel(c.id())).isTrue();
    // another worker with room meanwhile gets nothing: b is still leased to the flaky worker
    SigningWorker other = new SigningWorker(direct, "other", 2);
    other.connection.grant(5);
    Thread.sleep(300);
    assertThat(other.listener.seen).as("b was not handed to another worker").isEmpty();

    proxy.up();
    Object revoked = Fixtures.poll(w.listener.seen);
    assertThat(revoked).as("the void lease is revoked on re-registration").isEqualTo(c.id());
    awaitState(b.id(), TaskState.RUNNING, 1);
    w.connection.sendResults(List.of(w.answer(got.get(b.id()))));
    TaskResult rb = b.result().get(10, TimeUnit.SECONDS);
    assertThat(rb.worker().value()).isEqualTo("flaky");
    assertThat(rb.attempt()).as("the same lease completed, not a new attempt").isEqualTo(1);
    assertThat(other.listener.seen).isEmpty();
    assertThat(pool.status(c.id()).state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void leasesNotResumedWithinTheLeaseDurationGoToAnotherWorker() throws Exception {
    start(Duration.ofMillis(800));
    SigningWorker w = new SigningWorker(viaProxy, "gone", 1);
    TaskHandle a = submit("a");
    w.connection.grant(1);
    Assignment first = w.nextAssignment();
    proxy.down(); // and it stays down
    SigningWorker other = new SigningWorker(direct, "other", 2).keepAlive();
    other.connection.grant(1);
    Assignment again = other.nextAssignment();
    assertThat(again.lease().task()).isEqualTo(a.id());
    assertThat(again.lease().attempt()).isEqualTo(first.lease().attempt() + 1);
    other.connection.sendResults(List.of(other.answer(again)));
    assertThat(a.result().get(10, TimeUnit.SECONDS).worker().value()).isEqualTo("other");
  }
}
