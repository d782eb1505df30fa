package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.verify.Verifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine acts on each Verifier decision. */
class VerifierSeamTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final CountingLedger ledger = new CountingLedger();
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private Pool pool;

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  private void start(Coordinator.Builder builder) {
    pool = builder.kind(echo).transport(transport.coordinator()).ledger(ledger).build();
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

  /** Two agreeing copies accept; disagreement asks for the trusted truth. */
  static final class TwoOfTwo implements Verifier {
    @Override
    public int initialCopies(TaskSpec spec, VerificationSpec verification) {
      return 2;
    }

    @Override
    public Decision judge(TaskView task, List<WorkResult> results) {
      if (results.size() < 2) {
        return new Decision.Wait();
      }
      if (results.get(0).output().equals(results.get(1).output())) {
        return new Decision.Accept(results.get(0), "two-of-two", List.of());
      }
      return new Decision.RecomputeTrusted("copies disagree");
    }

    @Override
    public Decision judgeWithTruth(TaskView task, List<WorkResult> results, Bytes truth) {
      WorkResult right =
          results.stream().filter(r -> r.output().equals(truth)).findFirst().orElseThrow();
      List<io.poolforge.compute.api.WorkerId> wrong =
          results.stream().filter(r -> !r.output().equals(truth)).map(WorkResult::worker).toList();
      return new Decision.Accept(right, "trusted", wrong);
    }
  }

  @Test
  void replicasGoToDistinctOwnersAndTrustedRecomputeSettlesADispute() throws Exception {
    TestBackend trusted = new TestBackend(Set.of("echo"));
    start(Coordinator.builder().verifier(new TwoOfTwo()).trustedBackend(trusted));
    TaskHandle h =
        pool.submit(
            TaskSpec.builder("echo", TestKinds.LONG.encode(10L))
                .verification(VerificationSpec.quorum(2, 2))
                .build());
    ScriptedWorker a1 =
        new ScriptedWorker(transport.worker(), "a1", "alice", Set.of("echo")).grant(5);
    ScriptedWorker a2 =
        new ScriptedWorker(transport.worker(), "a2", "alice", Set.of("echo")).grant(5);
    Thread.sleep(100);
    ScriptedWorker b = new ScriptedWorker(transport.worker(), "b", "bob", Set.of("echo")).grant(5);
    Eventually.until(
        "two copies out", () -> a1.assigned.size() + a2.assigned.size() + b.assigned.size() == 2);
    assertThat(b.assigned).hasSize(1);
    assertThat(a1.assigned.size() + a2.assigned.size())
        .as("one copy for alice's workers")
        .isEqualTo(1);
    ScriptedWorker alice = a1.assigned.isEmpty() ? a2 : a1;
    Assignment ja = alice.next();
    Assignment jb = b.next();
    assertThat(ja.lease().attempt()).isNotEqualTo(jb.lease().attempt());

    alice.send(alice.result(ja, TestKinds.LONG.encode(999L))); // wrong
    Eventually.until("verifying", () -> pool.status(h.id()).state() == TaskState.VERIFYING);
    b.answerEcho(jb);

    assertThat(h.result().get(30, TimeUnit.SECONDS).worker()).isEqualTo(b.id);
    assertThat(trusted.executed.get()).isEqualTo(1);
    Eventually.until(
        "wrong worker reported",
        () ->
            events.stream()
                .anyMatch(
                    e ->
                        e instanceof PoolEvent.VerificationFailed v
                            && v.worker().equals(alice.id)));
    assertThat(events)
        .anyMatch(e -> e instanceof PoolEvent.TaskVerified v && v.method().equals("trusted"));
    Eventually.until("credited", () -> ledger.calls.containsKey(h.id()));
    assertThat(ledger.totals).containsOnlyKeys("pay-b");
  }

  @Test
  void acceptFirstRunsTheCheapCheckAndRetriesARefutedResultElsewhere() throws Exception {
    start(Coordinator.builder());
    TaskHandle h = pool.submit(echo, 41L);
    ScriptedWorker liar =
        new ScriptedWorker(transport.worker(), "liar", "l", Set.of("echo")).grant(1);
    Assignment job = liar.next();
    ScriptedWorker honest =
        new ScriptedWorker(transport.worker(), "honest", "h", Set.of("echo")).grant(1);
    liar.send(liar.result(job, TestKinds.LONG.encode(7L)));
    Assignment retry = honest.next();
    assertThat(retry.lease().attempt()).isEqualTo(2);
    honest.answerEcho(retry);
    assertThat(h.result().get(30, TimeUnit.SECONDS).worker()).isEqualTo(honest.id);
    Eventually.until(
        "liar reported",
        () ->
            events.stream()
                .anyMatch(
                    e ->
                        e instanceof PoolEvent.VerificationFailed v && v.worker().equals(liar.id)));
    Eventually.until("credited", () -> ledger.calls.containsKey(h.id()));
    assertThat(ledger.totals).containsOnlyKeys("pay-honest");
  }

  @Test
  void withoutATrustedBackendADisputeFailsTheTask() throws Exception {
    start(Coordinator.builder().verifier(new TwoOfTwo()));
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = new ScriptedWorker(transport.worker(), "a", "oa", Set.of("echo")).grant(5);
    ScriptedWorker b = new ScriptedWorker(transport.worker(), "b", "ob", Set.of("echo")).grant(5);
    Assignment ja = a.next();
    Assignment jb = b.next();
    a.send(a.result(ja, TestKinds.LONG.encode(5L)));
    b.answerEcho(jb);
    assertThat(h.result())
        .failsWithin(30, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("VERIFICATION_FAILED")
        .withMessageContaining("no trusted backend");
    Set<String> copies = new HashSet<>(List.of(ja.lease().toString(), jb.lease().toString()));
    assertThat(copies).hasSize(2);
  }
}
