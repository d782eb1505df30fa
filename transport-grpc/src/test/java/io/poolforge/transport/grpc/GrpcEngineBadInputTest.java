package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryStores;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from a misbehaving worker against the real coordinator (compute-core's engine, with a
 * reward ledger) over real gRPC: results for another worker's lease, for unknown task ids, replayed
 * results, bad signatures (which cut the forger off), and a worker that never grants credit. Each
 * is refused, nothing is credited for it, and an honest worker on the same coordinator keeps being
 * served and credited.
 */
class GrpcEngineBadInputTest {
  private static final Sha256Kind SHA = SigningWorker.SHA;

  private GrpcCoordinatorTransport transport;
  private InMemoryStores stores;
  private DefaultRewardLedger ledger;
  private Pool pool;
  private final BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
  private GrpcWorkerTransport workers;

  @BeforeEach
  void start() {
    transport =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
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
            new java.util.concurrent.Flow.Subscriber<>() {
              @Override
              public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
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
    workers.close();
    pool.close();
    ledger.close();
    stores.close();
  }

  private TaskHandle submit(String text) {
    return pool.submit(SHA, Sha256Input.of(Bytes.of(text.getBytes(StandardCharsets.UTF_8))));
  }

  private static TaskResult result(TaskHandle h) throws Exception {
    return h.result().get(10, TimeUnit.SECONDS);
  }

  /** The honest worker is still served: it gets a new task, answers it, and is credited. */
  private void stillServes(SigningWorker honest) throws Exception {
    TaskHandle h = submit("still served " + System.nanoTime());
    honest.connection.grant(1);
    Assignment a = honest.nextAssignment();
    assertThat(a.lease().task()).isEqualTo(h.id());
    honest.connection.sendResults(List.of(honest.answer(a)));
    assertThat(result(h).worker().value()).isEqualTo(honest.id);
  }

  private BigInteger credited(SigningWorker w) {
    ledger.flush();
    Map<String, BigInteger> totals = ledger.totals();
    return totals.getOrDefault(w.payout, BigInteger.ZERO);
  }

  @Test
  void aResultForAnotherWorkersLeaseIsRefusedAndTheRightfulWorkerIsCredited() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    SigningWorker thief = new SigningWorker(workers, "thief", 2);
    TaskHandle h = submit("one");
    honest.connection.grant(1);
    Assignment a = honest.nextAssignment();

    // a correct answer, signed with the thief's own key, for the honest worker's lease
    thief.connection.sendResults(List.of(thief.answer(a)));
    PoolException refused = thief.closedWith();
    assertThat(refused.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(refused.getMessage())
        .contains("results[0].lease", a.lease().task().toString(), "not leased to worker thief");

    honest.connection.sendResults(List.of(honest.answer(a)));
    assertThat(result(h).worker().value()).isEqualTo("honest");
    stillServes(honest);
    assertThat(credited(thief)).isZero();
    assertThat(credited(honest)).isPositive();
  }

  @Test
  void aResultForAnUnknownTaskIdIsRefused() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    SigningWorker liar = new SigningWorker(workers, "liar", 2);
    LeaseRef invented = new LeaseRef(new TaskId(987_654_321L), 1);
    liar.connection.sendResults(
        List.of(liar.answer(invented, SHA.inputCodec().encode(Sha256Input.of(Bytes.EMPTY)))));
    PoolException refused = liar.closedWith();
    assertThat(refused.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(refused.getMessage()).contains("results[0].lease", "t-987654321");
    stillServes(honest);
    assertThat(credited(liar)).isZero();
  }

  @Test
  void aReplayedResultIsRefusedAndCreditedOnlyOnce() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    SigningWorker replayer = new SigningWorker(workers, "replayer", 2);
    TaskHandle h = submit("replayed");
    replayer.connection.grant(1);
    Assignment a = replayer.nextAssignment();
    WorkResult r = replayer.answer(a);
    replayer.connection.sendResults(List.of(r));
    assertThat(result(h).worker().value()).isEqualTo("replayer");
    BigInteger once = credited(replayer);
    assertThat(once).isPositive();

    replayer.connection.sendResults(List.of(r));
    PoolException refused = replayer.closedWith();
    assertThat(refused.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(refused.getMessage()).contains("results[0].lease", "a result already sent");
    stillServes(honest);
    assertThat(credited(replayer)).as("credited once").isEqualTo(once);
  }

  @Test
  void aBadSignatureCutsTheForgerOffUncreditedAndTheTaskGoesToAnotherWorker() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    SigningWorker forger = new SigningWorker(workers, "forger", 2);
    TaskHandle h = submit("forged");
    forger.connection.grant(1);
    Assignment a = forger.nextAssignment();
    WorkResult good = forger.answer(a);
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
    forger.connection.sendResults(List.of(forged));
    PoolEvent.VerificationFailed failed = awaitEvent(PoolEvent.VerificationFailed.class);
    assertThat(failed.task()).isEqualTo(h.id());
    assertThat(failed.worker().value()).isEqualTo("forger");
    assertThat(failed.reason()).contains("signature");

    // the coordinator ends the forger's stream: UNAUTHENTICATED, naming the task
    PoolException cut = forger.closedWith();
    assertThat(cut.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(cut.getMessage()).contains(h.id().toString(), "signature", "forger");
    assertThat(h.result()).isNotDone();

    // its lease went back to the queue: the honest worker gets a new attempt
    honest.connection.grant(1);
    Assignment again = honest.nextAssignment();
    assertThat(again.lease().task()).isEqualTo(h.id());
    assertThat(again.lease().attempt()).isGreaterThan(a.lease().attempt());
    honest.connection.sendResults(List.of(honest.answer(again)));
    assertThat(result(h).worker().value()).isEqualTo("honest");
    stillServes(honest);
    assertThat(credited(forger)).isZero();
  }

  @Test
  void aWorkerThatNeverGrantsCreditGetsNothingAndOthersGetEverything() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    SigningWorker hoarder = new SigningWorker(workers, "hoarder", 2);
    List<TaskHandle> handles =
        List.of(submit("a"), submit("b"), submit("c"), submit("d"), submit("e"));
    honest.connection.grant(5);
    int answered = 0;
    while (answered < handles.size()) {
      Assignment a = honest.nextAssignment();
      honest.connection.sendResults(List.of(honest.answer(a)));
      answered++;
    }
    for (TaskHandle h : handles) {
      assertThat(result(h).worker().value()).isEqualTo("honest");
    }
    assertThat(hoarder.listener.seen).as("nothing was sent to the hoarder").isEmpty();
    assertThat(credited(hoarder)).isZero();
  }

  @Test
  void anUnauthenticatedWorkerIsRefusedWhileOthersAreServed() throws Exception {
    SigningWorker honest = new SigningWorker(workers, "honest", 1);
    try (GrpcWorkerTransport anonymous =
        GrpcWorkerTransport.builder("127.0.0.1:" + transport.port())
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build()) {
      assertThatThrownBy(
              () ->
                  anonymous.connect(
                      Fixtures.registration("anonymous", List.of()),
                      new Fixtures.QueueingListener()))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
    stillServes(honest);
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
