package io.poolforge.compute.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real in-process pool too small for what verification asks: the verifier wants a copy on a
 * distinct worker (and owner) that does not exist. Such a task must still end, by a trusted
 * recompute when the pool has a trusted backend, else with a failure that says why, once no
 * eligible worker joined within the lease duration. Real time, with a short lease (the wait for a
 * worker is the lease duration, on the pool's clock).
 */
class SmallPoolStallTest {
  /** Short, so stranded tasks end quickly; well above the 50 ms heartbeats, so no worker lapses. */
  private static final Duration LEASE = Duration.ofSeconds(1);

  private final InProcessTransport transport = InProcessTransport.create();
  private final List<WorkerNode> nodes = new ArrayList<>();
  private final CredibilityTracker tracker = CredibilityTracker.builder().build();
  private final SquareBackend trusted = new SquareBackend(false);
  private @Nullable Pool pool;

  @AfterEach
  void close() {
    nodes.forEach(WorkerNode::close);
    if (pool != null) {
      pool.close();
    }
    transport.close();
  }

  private Pool start(VerificationSpec defaults, boolean withTrusted) {
    return start(defaults, withTrusted, LEASE);
  }

  private Pool start(VerificationSpec defaults, boolean withTrusted, Duration lease) {
    CredibilityVerifier verifier =
        CredibilityVerifier.builder()
            .reputation(tracker)
            .random(new SplittableRandom(5))
            .trustedRecompute(withTrusted)
            .build();
    Coordinator.Builder b =
        Coordinator.builder()
            .kind(TestKinds.SQUARE)
            .transport(transport.coordinator())
            .verifier(verifier)
            .reputation(tracker)
            .defaultVerification(defaults)
            .leaseDuration(lease)
            .tickInterval(Duration.ofMillis(20));
    if (withTrusted) {
      b.trustedBackend(trusted);
    }
    Pool p = b.build();
    pool = p;
    return p;
  }

  private void worker(String id, boolean cheat) {
    worker(id, "owner-" + id, cheat);
  }

  private void worker(String id, String owner, boolean cheat) {
    nodes.add(
        WorkerNode.builder()
            .transport(transport.worker())
            .kind(TestKinds.SQUARE)
            .backend(new SquareBackend(cheat))
            .id(id)
            .owner(owner)
            .payoutAddress("pay-" + id)
            .heartbeatInterval(Duration.ofMillis(50))
            .slots(1)
            .window(2)
            .build()
            .start());
  }

  private static List<TaskHandle> submit(Pool pool, int n) {
    List<TaskHandle> handles = new ArrayList<>();
    for (long x = 1; x <= n; x++) {
      handles.add(pool.submit(TestKinds.SQUARE, x));
    }
    return handles;
  }

  private static void assertAllRight(List<TaskHandle> handles) throws Exception {
    for (int i = 0; i < handles.size(); i++) {
      TaskResult r = handles.get(i).result().get(15, TimeUnit.SECONDS);
      long x = i + 1;
      assertThat(r.output(TestKinds.SQUARE)).as("task %d", x).isEqualTo(x * x);
    }
  }

  @Test
  void spotCheckOnTwoHonestWorkersEndsByTrustedRecompute() throws Exception {
    // Two newcomers that agree are not credible enough: the verifier asks for a third copy,
    // and only two workers exist.
    Pool p = start(VerificationSpec.spotCheck(1.0), true);
    worker("a", false);
    worker("b", false);
    List<TaskHandle> handles = submit(p, 6);
    assertAllRight(handles);
    assertThat(trusted.executed.get()).as("trusted recomputes").isPositive();
    assertThat(tracker.quarantinedWorkers()).isEmpty();
  }

  @Test
  void spotCheckWithoutTrustedRecomputeFailsAndSaysWhy() throws Exception {
    Pool p = start(VerificationSpec.spotCheck(1.0), false);
    worker("a", false);
    worker("b", false);
    TaskHandle h = p.submit(TestKinds.SQUARE, 7L);
    assertThatThrownBy(() -> h.result().get(15, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED);
              assertThat(e.getMessage())
                  .contains("distinct worker")
                  .contains("2 connected worker(s)")
                  .contains("test.square");
            });
  }

  @Test
  void quorumLargerThanThePoolEndsByTrustedRecompute() throws Exception {
    Pool p = start(VerificationSpec.quorum(3, 3), true);
    worker("a", false);
    worker("b", false);
    assertAllRight(submit(p, 3));
    assertThat(trusted.executed.get()).isEqualTo(3);
  }

  @Test
  void quorumTieBetweenTheOnlyTwoWorkersIsSettledByTrustedRecompute() throws Exception {
    Pool p = start(VerificationSpec.quorum(2, 2), true);
    worker("honest", false);
    worker("cheater", true);
    assertAllRight(submit(p, 3));
    assertThat(tracker.quarantined(new WorkerId("cheater"))).isTrue();
    assertThat(tracker.quarantined(new WorkerId("honest"))).isFalse();
  }

  @Test
  void workersOfOneOwnerCannotCheckEachOtherSoTheTaskEndsByTrustedRecompute() throws Exception {
    // Three workers, but copies need distinct owners and all three belong to one.
    Pool p = start(VerificationSpec.quorum(2, 2), true);
    worker("x1", "acme", false);
    worker("x2", "acme", false);
    worker("x3", "acme", false);
    assertAllRight(submit(p, 2));
    assertThat(trusted.executed.get()).isEqualTo(2);
  }

  @Test
  void aWorkerThatJoinsWithinTheLeaseTakesTheMissingCopy() throws Exception {
    // a long lease: the third worker surely joins within it, however loaded the machine
    Pool p = start(VerificationSpec.quorum(3, 3), true, Duration.ofSeconds(10));
    worker("a", false);
    worker("b", false);
    List<TaskHandle> handles = submit(p, 2);
    worker("c", false);
    assertAllRight(handles);
    assertThat(trusted.executed.get()).as("no recompute was needed").isZero();
  }
}
