package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryStores;
import io.poolforge.transport.grpc.internal.WorkerClient;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The urgent lane (issue #7) against the real coordinator over real gRPC: an urgent task's result
 * reaches the coordinator while the worker's main stream is stuck behind a bulk result, and the
 * lane is as closed to strangers and as strict about leases and signatures as the main stream.
 */
class GrpcUrgentLaneTest {
  private static final Sha256Kind SHA = SigningWorker.SHA;

  private final GatedExecutor work = new GatedExecutor();
  private GrpcCoordinatorTransport transport;
  private InMemoryStores stores;
  private DefaultRewardLedger ledger;
  private Pool pool;
  private GrpcWorkerTransport workers;
  private final BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    transport =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .executor(work)
            .build();
    stores = InMemoryStores.create();
    ledger = DefaultRewardLedger.builder().store(stores.ledger()).build();
    pool =
        Coordinator.builder()
            .kind(SHA)
            .transport(transport)
            .ledger(ledger)
            .leaseDuration(Duration.ofSeconds(30))
            .build();
    pool.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(PoolEvent e) {
                events.add(e);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
    workers =
        GrpcWorkerTransport.builder("127.0.0.1:" + transport.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build();
  }

  @AfterEach
  void stop() {
    work.open();
    workers.close();
    pool.close();
    ledger.close();
    stores.close();
    work.close();
  }

  private static Bytes input(String text) {
    return SHA.inputCodec().encode(Sha256Input.of(Bytes.of(text.getBytes(StandardCharsets.UTF_8))));
  }

  private TaskHandle submit(String text, int priority) {
    return pool.submit(TaskSpec.builder(SHA.id(), input(text)).priority(priority).build());
  }

  private static TaskResult result(TaskHandle h) throws Exception {
    return h.result().get(10, TimeUnit.SECONDS);
  }

  private static void awaitLane(SigningWorker w) {
    Fixtures.awaitLane(w.connection);
  }

  /** The honest worker is still served: an urgent task goes to it, is answered and credited. */
  private void stillServes(SigningWorker honest) throws Exception {
    TaskHandle h = submit("still served " + System.nanoTime(), Priority.MAX);
    honest.connection.grant(1);
    Assignment a = honest.nextAssignment();
    assertThat(a.lease().task()).isEqualTo(h.id());
    honest.connection.sendResults(List.of(honest.answer(a)));
    assertThat(result(h).worker().value()).isEqualTo(honest.id);
    assertThat(credited(honest.payout)).isPositive();
  }

  private BigInteger credited(String payout) {
    ledger.flush();
    return ledger.totals().getOrDefault(payout, BigInteger.ZERO);
  }

  @Test
  void anUrgentResultPassesABulkResultStuckOnTheMainStream() throws Exception {
    SigningWorker w = new SigningWorker(workers, "busy", 1);
    awaitLane(w);
    TaskHandle bulk = submit("bulk", Priority.NORMAL);
    TaskHandle urgent = submit("urgent", Priority.MAX);
    w.connection.grant(2);
    Assignment first = w.nextAssignment();
    Assignment second = w.nextAssignment();
    Assignment bulkTask = first.priority() >= Priority.HIGH ? second : first;
    Assignment urgentTask = first.priority() >= Priority.HIGH ? first : second;
    assertThat(urgentTask.lease().task()).isEqualTo(urgent.id());

    // the coordinator is busy: the bulk result waits on the main stream, and the stream reads
    // nothing more until it is handled
    work.shut();
    w.connection.sendResults(List.of(w.answer(bulkTask)));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (work.held() == 0) {
      assertThat(System.nanoTime()).as("the bulk result reached the gate").isLessThan(end);
      Thread.onSpinWait();
    }
    w.connection.sendResults(List.of(w.answer(urgentTask)));

    assertThat(result(urgent).worker().value()).isEqualTo("busy");
    assertThat(bulk.result()).as("still stuck behind the busy coordinator").isNotDone();
    work.open();
    assertThat(result(bulk).worker().value()).isEqualTo("busy");
  }

  @Test
  void bulkAssignmentsAreDeliveredBelowNormalPriorityAndUrgentOnesAboveIt() throws Exception {
    SigningWorker w = new SigningWorker(workers, "prio", 1);
    awaitLane(w);
    TaskHandle bulk = submit("bulk", Priority.NORMAL);
    TaskHandle urgent = submit("urgent", Priority.MAX);
    w.connection.grant(2);
    w.nextAssignment();
    w.nextAssignment();
    assertThat(w.listener.deliveredAtPriority)
        .containsEntry(bulk.id(), Thread.MIN_PRIORITY)
        .containsEntry(urgent.id(), Thread.MAX_PRIORITY);
  }

  @Test
  void aBrokenLaneReestablishesTheConnectionAndTheUrgentTaskCompletes() throws Exception {
    try (CuttableProxy proxy = new CuttableProxy(transport.port());
        GrpcWorkerTransport viaProxy =
            GrpcWorkerTransport.builder("127.0.0.1:" + proxy.port())
                .token(Fixtures.WORKER_TOKEN)
                .reconnect(Duration.ofSeconds(30), Duration.ofMillis(200))
                .build()) {
      SigningWorker w = new SigningWorker(viaProxy, "cut", 1);
      awaitLane(w);
      assertThat(proxy.connections()).as("the main stream's and the lane's").isEqualTo(2);
      TaskHandle h = submit("cut lane", Priority.MAX);
      w.connection.grant(1);
      Assignment a = w.nextAssignment();
      assertThat(a.lease().task()).isEqualTo(h.id());

      // only the lane's connection breaks: results written to it may be lost, so the worker
      // re-establishes its connection (presenting the lease it holds) and opens a new lane
      proxy.cut(1);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      // (the main stream is re-opened on its own connection, which is intact; the new lane's
      // channel connects anew: a third connection, made only for a lane opened after a new
      // registration)
      while (proxy.connections() < 3 || !((WorkerClient) w.connection).urgentLaneOpen()) {
        assertThat(System.nanoTime()).as("a new registration and lane").isLessThan(end);
        Thread.sleep(10);
      }
      w.connection.sendResults(List.of(w.answer(a)));
      TaskResult r = result(h);
      assertThat(r.worker().value()).isEqualTo("cut");
      assertThat(r.attempt()).as("the lease was resumed, not reassigned").isEqualTo(1);
    }
  }

  @Test
  void strangersAreRefusedOnTheUrgentLaneWhileOthersAreServed() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    awaitLane(honest);
    int port = transport.port();
    try (RawWorker anonymous = new RawWorker(port, null, "anonymous", 2);
        RawWorker guesser = new RawWorker(port, Fixtures.WORKER_TOKEN, "guesser", 3);
        RawWorker rude = new RawWorker(port, Fixtures.WORKER_TOKEN, "rude", 4)) {
      // no credentials at all
      anonymous.openLane("honest", new byte[32]);
      Status s = anonymous.lane.status();
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.getDescription()).contains("unauthenticated call", "WorkerLink");

      // a worker token, but not the key the honest worker's stream was given
      guesser.openLane("honest", new byte[32]);
      s = guesser.lane.status();
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.getDescription()).contains("lane_hello", "no worker 'honest'", "lane key");

      // results instead of lane_hello
      rude.startLane();
      RawWorker.sendResults(rude.lane, List.of(Fixtures.result("rude", 1, Bytes.of(new byte[32]))));
      s = rude.lane.status();
      assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(s.getDescription()).contains("must be lane_hello", "RESULTS");
    }
    stillServes(honest);
  }

  @Test
  void aResultForAnotherWorkersLeaseOnTheUrgentLaneIsRefused() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    awaitLane(honest);
    try (RawWorker thief = new RawWorker(transport.port(), Fixtures.WORKER_TOKEN, "thief", 2)) {
      byte[] key = thief.register();
      assertThat(key).hasSize(32);
      thief.openLane("thief", key);
      assertThat(thief.lane.next().hasRegistered()).as("the lane is bound").isTrue();

      TaskHandle h = submit("stolen", Priority.MAX);
      honest.connection.grant(1);
      Assignment a = honest.nextAssignment();
      // a correct answer, signed with the thief's own key, for the honest worker's lease
      WorkResult stolen = thief.signer.sign(a.lease(), "cpu", honest.answer(a).output(), null, 1);
      RawWorker.sendResults(thief.lane, List.of(stolen));
      Status s = thief.lane.status();
      assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(s.getDescription())
          .contains("results[0].lease", a.lease().task().toString(), "not leased to worker thief");
      assertThat(thief.main.status().getCode())
          .as("the thief's main stream ends with its lane")
          .isEqualTo(Status.Code.FAILED_PRECONDITION);

      honest.connection.sendResults(List.of(honest.answer(a)));
      assertThat(result(h).worker().value()).isEqualTo("honest");
      stillServes(honest);
      assertThat(credited(thief.payout)).isZero();
    }
  }

  @Test
  void aBadSignatureOnTheUrgentLaneCutsTheForgerOffAndTheTaskGoesToAnotherWorker()
      throws Exception {
    try (RawWorker forger = new RawWorker(transport.port(), Fixtures.WORKER_TOKEN, "forger", 2)) {
      byte[] key = forger.register();
      forger.openLane("forger", key);
      assertThat(forger.lane.next().hasRegistered()).isTrue();
      forger.grant(1);
      TaskHandle h = submit("forged", Priority.MAX);
      Assignment a = RawWorker.assignment(forger.lane);
      assertThat(a.lease().task()).as("the urgent task came on the lane").isEqualTo(h.id());

      WorkResult good =
          forger.signer.sign(
              a.lease(),
              "cpu",
              SHA.outputCodec().encode(Sha256Kind.compute(SHA.inputCodec().decode(a.payload()))),
              null,
              1);
      byte[] sig = good.signature().toByteArray();
      sig[0] ^= 1;
      WorkResult forged =
          new WorkResult(
              good.lease(),
              good.worker(),
              good.backend(),
              good.output(),
              good.error(),
              good.elapsedNanos(),
              Bytes.wrap(sig),
              good.proof());
      RawWorker.sendResults(forger.lane, List.of(forged));

      PoolEvent.VerificationFailed failed = awaitEvent(PoolEvent.VerificationFailed.class);
      assertThat(failed.task()).isEqualTo(h.id());
      assertThat(failed.worker().value()).isEqualTo("forger");
      Status cut = forger.main.status();
      assertThat(cut.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(cut.getDescription()).contains(h.id().toString(), "signature");
      assertThat(forger.lane.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(h.result()).isNotDone();

      SigningWorker honest = new SigningWorker(workers, "honest", 1);
      honest.connection.grant(1);
      Assignment again = honest.nextAssignment();
      assertThat(again.lease().task()).isEqualTo(h.id());
      honest.connection.sendResults(List.of(honest.answer(again)));
      assertThat(result(h).worker().value()).isEqualTo("honest");
      stillServes(honest);
      assertThat(credited(forger.payout)).isZero();
    }
  }

  private <T extends PoolEvent> T awaitEvent(Class<T> type) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      PoolEvent e = events.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
  }
}
