package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.testing.BreakableTransport;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.MutableClock;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinator restarts on the same store (an in-memory one shared by both instances here; the
 * SQLite case runs in examples' RestartResumeLeasesTest): the store knows which worker holds each
 * RUNNING task and its attempt, so a worker that comes back within the reconnect grace with that
 * lease keeps it (no second execution, one credit), while leases nobody resumes are queued for
 * other workers when the grace ends, on a fake clock.
 */
class RestartResumeTest {
  private final MutableClock clock = new MutableClock();
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final CountingLedger ledger = new CountingLedger();
  private final InMemoryTaskStore store = new InMemoryTaskStore();
  private final List<Pool> pools = new ArrayList<>();

  private Pool coordinator(BreakableTransport transport) {
    Pool pool =
        Coordinator.builder()
            .kind(echo)
            .transport(transport)
            .clock(clock)
            .ledger(ledger)
            .taskStore(store)
            .leaseDuration(Duration.ofSeconds(60))
            .reconnectGrace(Duration.ofSeconds(5))
            .tickInterval(Duration.ofMillis(2))
            .build();
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void close() {
    for (Pool p : pools) {
      p.close();
    }
  }

  private static ScriptedWorker worker(BreakableTransport t, String id) {
    return new ScriptedWorker(t, id, "owner-" + id, Set.of("echo"));
  }

  private void awaitStored(TaskId id, String worker, int attempt) {
    Eventually.until(
        id + " stored RUNNING on " + worker,
        () -> {
          clock.advance(Duration.ofMillis(3)); // ticks: a lease is stored once it lived one
          TaskRecord r = store.get(id).orElseThrow();
          return r.state() == TaskState.RUNNING
              && r.worker() != null
              && r.worker().value().equals(worker)
              && r.attempts() == attempt;
        });
  }

  @Test
  void aWorkerThatComesBackWithinTheGraceKeepsItsLeasesAndTheRestMoveAfterIt() throws Exception {
    BreakableTransport first = new BreakableTransport();
    Pool before = coordinator(first);
    TaskHandle h1 = before.submit(echo, 1L);
    TaskHandle h2 = before.submit(echo, 2L);
    h1.accepted().get(10, TimeUnit.SECONDS);
    h2.accepted().get(10, TimeUnit.SECONDS);
    ScriptedWorker a = worker(first, "a").grant(2);
    List<Assignment> aJobs = List.of(a.next(), a.next());
    TaskHandle h3 = before.submit(echo, 3L);
    h3.accepted().get(10, TimeUnit.SECONDS);
    ScriptedWorker b = worker(first, "b").grant(1);
    Assignment bJob = b.next();
    assertThat(bJob.lease().task()).isEqualTo(h3.id());
    awaitStored(h1.id(), "a", 1);
    awaitStored(h2.id(), "a", 1);
    awaitStored(h3.id(), "b", 1);

    before.close(); // the coordinator stops; the workers keep their leases and reconnect
    Eventually.until("a's connection ended", () -> a.closed);

    BreakableTransport second = new BreakableTransport();
    Pool after = coordinator(second);
    Eventually.until(
        "h1 held as RUNNING for its worker", () -> status(after, h1.id()) == TaskState.RUNNING);
    ScriptedWorker c = worker(second, "c").grant(4);
    ScriptedWorker a2 =
        new ScriptedWorker(
            second,
            "a",
            "owner-a",
            Set.of("echo"),
            a.keys,
            List.of(aJobs.get(0).lease(), aJobs.get(1).lease()));
    // b comes back too, but with a lease the store does not know (a wrong attempt): void
    ScriptedWorker b2 =
        new ScriptedWorker(
            second, "b", "owner-b", Set.of("echo"), b.keys, List.of(new LeaseRef(h3.id(), 7)));
    Eventually.until("b's void lease is revoked", () -> b2.revoked.contains(h3.id()));
    assertThat(a2.revoked).as("a's leases are valid").isEmpty();
    assertThat(c.poll(50)).as("nothing moves within the grace").isNull();

    for (Assignment job : aJobs) {
      a2.answerEcho(job);
    }
    for (TaskHandle h : List.of(h1, h2)) {
      Eventually.until(
          h.id() + " stored COMPLETED",
          () -> store.get(h.id()).orElseThrow().state() == TaskState.COMPLETED);
      assertThat(store.get(h.id()).orElseThrow().worker().value()).isEqualTo("a");
      assertThat(store.get(h.id()).orElseThrow().attempts()).as("the same attempt").isEqualTo(1);
    }
    assertThat(a.assigned).as("nothing else was sent to a").isEmpty();
    assertThat(a2.assigned).as("a computed each task once: nothing re-sent").isEmpty();

    // h3 was nobody's to resume: after the grace it goes to another worker, as attempt 2
    clock.advance(Duration.ofMillis(5_100));
    Assignment moved = c.next();
    assertThat(moved.lease()).isEqualTo(new LeaseRef(h3.id(), 2));
    c.answerEcho(moved);
    Eventually.until(
        "h3 stored COMPLETED",
        () -> store.get(h3.id()).orElseThrow().state() == TaskState.COMPLETED);
    assertThat(store.get(h3.id()).orElseThrow().worker().value()).isEqualTo("c");

    for (TaskHandle h : List.of(h1, h2, h3)) {
      Eventually.until(h.id() + " credited", () -> ledger.calls.containsKey(h.id()));
    }
    Thread.sleep(50);
    for (TaskHandle h : List.of(h1, h2, h3)) {
      assertThat(ledger.calls.get(h.id()).get()).as("%s credited once", h.id()).isEqualTo(1);
    }
    assertThat(ledger.totals).containsOnlyKeys("pay-a", "pay-c");
  }

  @Test
  void aLeaseOfAnotherWorkerIsNotResumed() throws Exception {
    BreakableTransport first = new BreakableTransport();
    Pool before = coordinator(first);
    TaskHandle h = before.submit(echo, 5L);
    h.accepted().get(10, TimeUnit.SECONDS);
    ScriptedWorker a = worker(first, "a").grant(1);
    Assignment job = a.next();
    awaitStored(h.id(), "a", 1);
    before.close();

    BreakableTransport second = new BreakableTransport();
    Pool after = coordinator(second);
    // an impostor presents a's lease (task and attempt right, worker wrong)
    ScriptedWorker m =
        new ScriptedWorker(
            second, "m", "owner-m", Set.of("echo"), ScriptedWorker.newKeys(), List.of(job.lease()));
    Eventually.until("the foreign lease is revoked", () -> m.revoked.contains(h.id()));
    m.answerEcho(job);
    Thread.sleep(50);
    assertThat(status(after, h.id())).isEqualTo(TaskState.RUNNING);
    // a comes back in time and completes it
    ScriptedWorker a2 =
        new ScriptedWorker(second, "a", "owner-a", Set.of("echo"), a.keys, List.of(job.lease()));
    a2.answerEcho(job);
    Eventually.until(h.id() + " completed", () -> status(after, h.id()) == TaskState.COMPLETED);
    TaskStatus done = after.status(h.id());
    assertThat(done.worker().value()).isEqualTo("a");
    assertThat(done.attempts()).isEqualTo(1);
  }

  private static TaskState status(Pool pool, TaskId id) {
    return pool.status(id).state();
  }
}
