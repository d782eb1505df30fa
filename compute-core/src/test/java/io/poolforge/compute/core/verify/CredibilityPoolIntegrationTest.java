package io.poolforge.compute.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The credibility verifier in a real in-process pool: a coordinator, honest worker nodes and one
 * worker node whose backend always returns a wrong answer.
 */
class CredibilityPoolIntegrationTest {
  private final InProcessTransport transport = InProcessTransport.create();
  private final CountingLedger ledger = new CountingLedger();
  private final List<WorkerId> forfeited = new CopyOnWriteArrayList<>();
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private final List<WorkerNode> nodes = new ArrayList<>();
  private final CredibilityTracker tracker =
      CredibilityTracker.builder()
          .forfeiter(
              (worker, reason) -> {
                forfeited.add(worker);
                ledger.forfeit(worker, reason);
              })
          .build();
  private final SquareBackend trusted = new SquareBackend(false);
  private Pool pool;

  @AfterEach
  void close() {
    nodes.forEach(WorkerNode::close);
    if (pool != null) {
      pool.close();
    }
    transport.close();
  }

  private void start(VerificationSpec defaults) {
    CredibilityVerifier verifier =
        CredibilityVerifier.builder().reputation(tracker).random(new SplittableRandom(11)).build();
    pool =
        Coordinator.builder()
            .kind(TestKinds.SQUARE)
            .transport(transport.coordinator())
            .verifier(verifier)
            .reputation(tracker)
            .trustedBackend(trusted)
            .defaultVerification(defaults)
            .ledger(ledger)
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
  }

  private void worker(String id, boolean cheat) {
    nodes.add(
        WorkerNode.builder()
            .transport(transport.worker())
            .kind(TestKinds.SQUARE)
            .backend(new SquareBackend(cheat))
            .id(id)
            .owner("owner-" + id)
            .payoutAddress("pay-" + id)
            .slots(1)
            .window(2)
            .build()
            .start());
  }

  private List<TaskHandle> submit(int n) {
    List<TaskHandle> handles = new ArrayList<>();
    for (long x = 1; x <= n; x++) {
      handles.add(pool.submit(TestKinds.SQUARE, x));
    }
    return handles;
  }

  private static void assertAllRight(List<TaskHandle> handles) throws Exception {
    for (int i = 0; i < handles.size(); i++) {
      TaskResult r = handles.get(i).result().get(30, TimeUnit.SECONDS);
      long x = i + 1;
      assertThat(r.output(TestKinds.SQUARE)).as("task %d", x).isEqualTo(x * x);
    }
  }

  private boolean event(Class<? extends PoolEvent> type, WorkerId worker) {
    return events.stream()
        .anyMatch(
            e ->
                type.isInstance(e)
                    && switch (e) {
                      case PoolEvent.WorkerQuarantined q -> q.worker().equals(worker);
                      case PoolEvent.VerificationFailed v -> v.worker().equals(worker);
                      default -> false;
                    });
  }

  @Test
  void spotChecksCatchAndQuarantineACheaterAndNoWrongResultIsAccepted() throws Exception {
    start(VerificationSpec.spotCheck(1.0));
    worker("honest-1", false);
    worker("honest-2", false);
    worker("honest-3", false);
    worker("cheater", true);
    WorkerId cheater = new WorkerId("cheater");
    List<TaskHandle> handles = submit(40);
    assertAllRight(handles);

    assertThat(tracker.quarantined(cheater)).isTrue();
    assertThat(tracker.quarantinedWorkers()).containsOnlyKeys(cheater);
    assertThat(forfeited).containsExactly(cheater);
    Eventually.until("cheater reported", () -> event(PoolEvent.VerificationFailed.class, cheater));
    Eventually.until(
        "quarantine published", () -> event(PoolEvent.WorkerQuarantined.class, cheater));
    assertThat(events)
        .filteredOn(e -> e instanceof PoolEvent.TaskVerified)
        .extracting(e -> ((PoolEvent.TaskVerified) e).method())
        .isSubsetOf(
            CredibilityVerifier.SPOT_CHECK,
            CredibilityVerifier.CREDIBILITY,
            CredibilityVerifier.TRUSTED_RECOMPUTE);
    assertThat(trusted.executed.get()).isPositive();
    Eventually.until("all credited", () -> ledger.calls.size() == 40);
    assertThat(ledger.totals).doesNotContainKey("pay-cheater");
    assertThat(ledger.totals.values().stream().reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(BigInteger.valueOf(40));
    // Honest workers earned credibility on the kind by being checked.
    assertThat(
            tracker.verifiedCount(new WorkerId("honest-1"), TestKinds.SQUARE.id())
                + tracker.verifiedCount(new WorkerId("honest-2"), TestKinds.SQUARE.id())
                + tracker.verifiedCount(new WorkerId("honest-3"), TestKinds.SQUARE.id()))
        .isPositive();
  }

  @Test
  void aQuorumOutvotesTheCheaterOnDistinctWorkers() throws Exception {
    start(VerificationSpec.quorum(2, 3));
    // The cheater answers first, so its wrong copy is always among the votes.
    SquareBackend cheating = new SquareBackend(true);
    nodes.add(
        WorkerNode.builder()
            .transport(transport.worker())
            .kind(TestKinds.SQUARE)
            .backend(cheating)
            .id("cheater")
            .owner("owner-cheater")
            .payoutAddress("pay-cheater")
            .slots(1)
            .window(4)
            .build()
            .start());
    WorkerId cheater = new WorkerId("cheater");
    List<TaskHandle> handles = new ArrayList<>();
    for (long x = 1; x <= 3; x++) {
      handles.add(
          pool.submit(
              TaskSpec.builder(TestKinds.SQUARE.id(), TestKinds.LONG.encode(x))
                  .verification(VerificationSpec.quorum(2, 3))
                  .build()));
    }
    Eventually.until("the cheater answered", () -> cheating.executed.get() >= 3);
    worker("honest-1", false);
    worker("honest-2", false);
    assertAllRight(handles);
    // Three copies on three workers: the cheater took part, lost the vote and was blacklisted.
    assertThat(tracker.quarantined(cheater)).isTrue();
    assertThat(tracker.quarantine(cheater).reason()).contains("blacklist threshold");
    Eventually.until(
        "quarantine published", () -> event(PoolEvent.WorkerQuarantined.class, cheater));
    assertThat(events)
        .filteredOn(e -> e instanceof PoolEvent.TaskVerified)
        .extracting(e -> ((PoolEvent.TaskVerified) e).method())
        .contains(CredibilityVerifier.QUORUM);
  }

  @Test
  void anAttestedWorkerStartsWithHigherCredibility() throws Exception {
    start(VerificationSpec.spotCheck(1.0));
    worker("plain", false);
    Eventually.until("registered", () -> pool.workers().size() == 1);
    assertThat(tracker.credibility(new WorkerId("plain"), TestKinds.SQUARE.id()))
        .isEqualTo(tracker.priorCredibility(new WorkerId("nobody")));
  }
}
