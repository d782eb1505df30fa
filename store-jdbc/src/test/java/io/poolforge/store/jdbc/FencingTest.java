package io.poolforge.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing: every scheduling write of a coordinator carries its leader lease's token, and the store
 * refuses a write whose token is no longer the lease's, so a paused former leader cannot complete
 * or requeue tasks after a takeover.
 */
class FencingTest {
  private static final Duration TTL = Duration.ofMillis(600);

  @TempDir Path dir;

  @Test
  void aStaleTokenWriteIsRefusedOnSqlite() throws Exception {
    staleTokenIsRefused("jdbc:sqlite:" + dir.resolve("fence.db"));
  }

  @Test
  void aStaleTokenWriteIsRefusedOnPostgres() throws Exception {
    staleTokenIsRefused(EmbeddedPg.newDatabase());
  }

  private void staleTokenIsRefused(String url) throws Exception {
    try (JdbcStores a = JdbcStores.builder().url(url).holder("a").leaseTtl(TTL).build();
        JdbcStores b = JdbcStores.builder().url(url).holder("b").leaseTtl(TTL).build()) {
      LeaderLease la = a.leaderLease().orElseThrow();
      LeaderLease lb = b.leaderLease().orElseThrow();
      TaskSpec spec = TaskSpec.builder("sha256", Bytes.wrap(new byte[8])).build();
      long first = a.tasks().reserveIds(3);
      TaskRecord t1 = TaskRecord.queued(new TaskId(first), spec, Instant.now());

      // no lease row yet: nothing can be fenced
      assertThat(
              catchThrowableOfType(PoolException.class, () -> a.tasks().insert(List.of(t1), 1))
                  .code())
          .isEqualTo(ErrorCode.FAILED_PRECONDITION);
      assertThat(a.tasks().get(t1.id())).isEmpty();

      assertThat(la.tryAcquire()).isTrue();
      long ta = la.fencingToken();
      a.tasks().insert(List.of(t1), ta);
      TaskRecord running = withState(t1, TaskState.RUNNING, "worker-a");
      a.tasks().update(List.of(running), ta);

      Thread.sleep(TTL.toMillis() + 200); // a is paused past its lease
      assertThat(lb.tryAcquire()).isTrue();
      long tb = lb.fencingToken();
      assertThat(tb).isGreaterThan(ta);

      PoolException refused =
          catchThrowableOfType(
              PoolException.class,
              () -> a.tasks().update(List.of(withState(t1, TaskState.COMPLETED, "worker-a")), ta));
      assertThat(refused.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
      assertThat(refused.getMessage()).contains("fencingToken").contains("" + ta).contains("" + tb);
      assertThat(a.tasks().get(t1.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);

      TaskRecord t2 = TaskRecord.queued(new TaskId(first + 1), spec, Instant.now());
      assertThat(
              catchThrowableOfType(PoolException.class, () -> a.tasks().insert(List.of(t2), ta))
                  .code())
          .isEqualTo(ErrorCode.FAILED_PRECONDITION);
      assertThat(a.tasks().get(t2.id())).as("a refused insert stores nothing").isEmpty();

      // the new leader's writes go through, and unfenced writes of tools are unaffected
      b.tasks().update(List.of(withState(t1, TaskState.QUEUED, null)), tb);
      b.tasks().insert(List.of(t2), tb);
      assertThat(b.tasks().get(t1.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
      assertThat(b.tasks().get(t2.id())).isPresent();

      // bad tokens are refused naming the field, before touching the database
      PoolException bad =
          catchThrowableOfType(PoolException.class, () -> b.tasks().update(List.of(t1), 0));
      assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
      assertThat(bad.field()).isEqualTo("fencingToken");
    }
  }

  private static TaskRecord withState(TaskRecord r, TaskState state, String worker) {
    return new TaskRecord(
        r.id(),
        r.spec(),
        state,
        r.attempts() + 1,
        r.submittedAt(),
        Instant.now(),
        worker == null ? null : new WorkerId(worker),
        null,
        null,
        null);
  }

  /**
   * A lease a test controls. Frozen, it stops renewing but keeps answering "held", as a coordinator
   * paused (GC, VM migration) right after its last check would believe. Down, its database is
   * unreachable: renewals fail and the lease lapses.
   */
  private static final class ControlledLease implements LeaderLease {
    private final LeaderLease inner;
    volatile boolean frozen;
    volatile boolean down;

    ControlledLease(LeaderLease inner) {
      this.inner = inner;
    }

    @Override
    public String holder() {
      return inner.holder();
    }

    @Override
    public Duration ttl() {
      return inner.ttl();
    }

    @Override
    public boolean tryAcquire() {
      if (down) {
        throw new PoolException(ErrorCode.UNAVAILABLE, "store: the database is unreachable");
      }
      return frozen || inner.tryAcquire();
    }

    @Override
    public boolean isHeld() {
      return frozen || inner.isHeld();
    }

    @Override
    public long fencingToken() {
      return inner.fencingToken();
    }

    @Override
    public void release() {
      inner.release();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Blocks every batch until released. */
  private static final class GatedBackend extends PoolChild.ReferenceSha256Backend {
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger started = new AtomicInteger();

    @Override
    public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
      started.addAndGet(inputs.size());
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.execute(kind, inputs, context);
    }
  }

  /**
   * Two real coordinators on one SQLite file. A leads and its worker holds every task; then A
   * pauses past its lease (still believing it leads), B takes over, reloads and completes every
   * task. When A's worker finally answers, A accepts the results in memory, but the store refuses
   * its completions: every task stays completed by B's worker.
   */
  @Test
  void aPausedFormerLeaderCannotCompleteTasksAfterTakeover() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("paused.db");
    Sha256Kind kind = BuiltinKinds.sha256();
    int n = 40;
    try (JdbcStores storesA = JdbcStores.builder().url(url).holder("a").leaseTtl(TTL).build();
        JdbcStores storesB = JdbcStores.builder().url(url).holder("b").leaseTtl(TTL).build();
        InProcessTransport ta = InProcessTransport.create();
        InProcessTransport tb = InProcessTransport.create()) {
      ControlledLease leaseA = new ControlledLease(storesA.leaderLease().orElseThrow());
      GatedBackend gated = new GatedBackend();
      AtomicInteger completedByA = new AtomicInteger();
      try (Pool a =
          Coordinator.builder()
              .kind(kind)
              .transport(ta.coordinator())
              .taskStore(storesA.tasks())
              .leaderLease(leaseA)
              .build()) {
        a.events().subscribe(counting(completedByA));
        WorkerNode wa =
            WorkerNode.builder()
                .id("worker-a")
                .transport(ta.worker())
                .kind(kind)
                .backend(gated)
                .slots(1)
                .build()
                .start();
        List<TaskId> ids = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ids.isEmpty()) {
          try {
            for (int i = 0; i < n; i++) {
              ids.add(a.submit(kind, PoolChild.input(i)).id());
            }
          } catch (PoolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE); // not elected yet
            assertThat(System.nanoTime()).isLessThan(until);
            Thread.sleep(50);
          }
        }
        waitFor(() -> gated.started.get() > 0, "a's worker starts");

        try (Pool b =
            Coordinator.builder()
                .kind(kind)
                .transport(tb.coordinator())
                .taskStore(storesB.tasks())
                .leaderLease(storesB.leaderLease().orElseThrow())
                .build()) {
          WorkerNode wb =
              WorkerNode.builder()
                  .id("worker-b")
                  .transport(tb.worker())
                  .kind(kind)
                  .backend(new PoolChild.ReferenceSha256Backend())
                  .build()
                  .start();
          PoolException standby =
              catchThrowableOfType(PoolException.class, () -> b.submit(kind, PoolChild.input(99)));
          assertThat(standby.code()).isEqualTo(ErrorCode.UNAVAILABLE);
          assertThat(standby.getMessage()).contains("standby");

          leaseA.frozen = true; // A pauses: no renewals, yet it believes it leads
          waitFor(() -> completed(storesB, ids) == n, "b takes over and completes every task");
          gated.gate.countDown(); // A's worker answers late
          waitFor(() -> completedByA.get() > 0, "a accepts the late results in memory");
          Thread.sleep(500); // let A's committer try to store them
          for (TaskId id : ids) {
            TaskRecord r = storesB.tasks().get(id).orElseThrow();
            assertThat(r.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.worker()).as("t-%s", id.value()).isEqualTo(new WorkerId("worker-b"));
          }
          wb.close();
        }
        wa.close();
      }
    }
  }

  /**
   * A leader whose lease lapses (the database unreachable for its renewals) stops at once: the
   * result futures of its tasks fail with UNAVAILABLE, submissions are refused, and late results of
   * its worker are dropped. When the database comes back it is elected again, reloads the tasks
   * from the store and completes every one.
   */
  @Test
  void aDeposedLeaderStopsAndAfterReElectionReloadsItsTasks() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("deposed.db");
    Sha256Kind kind = BuiltinKinds.sha256();
    int n = 20;
    try (JdbcStores stores = JdbcStores.builder().url(url).holder("a").leaseTtl(TTL).build();
        InProcessTransport transport = InProcessTransport.create()) {
      ControlledLease lease = new ControlledLease(stores.leaderLease().orElseThrow());
      GatedBackend gated = new GatedBackend();
      try (Pool pool =
          Coordinator.builder()
              .kind(kind)
              .transport(transport.coordinator())
              .taskStore(stores.tasks())
              .leaderLease(lease)
              .build()) {
        WorkerNode worker =
            WorkerNode.builder()
                .id("worker-a")
                .transport(transport.worker())
                .kind(kind)
                .backend(gated)
                .slots(1)
                .build()
                .start();
        List<io.poolforge.compute.api.TaskHandle> handles = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (handles.isEmpty()) {
          try {
            for (int i = 0; i < n; i++) {
              handles.add(pool.submit(kind, PoolChild.input(i)));
            }
          } catch (PoolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(System.nanoTime()).isLessThan(until);
            Thread.sleep(50);
          }
        }
        for (var h : handles) {
          h.accepted().get(10, TimeUnit.SECONDS);
        }
        waitFor(() -> gated.started.get() > 0, "the worker starts");

        lease.down = true; // renewals fail from now on
        for (var h : handles) {
          Throwable failed =
              catchThrowableOfType(
                  java.util.concurrent.ExecutionException.class,
                  () -> h.result().get(10, TimeUnit.SECONDS));
          assertThat(failed.getCause()).isInstanceOf(PoolException.class);
          assertThat(((PoolException) failed.getCause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
          assertThat(failed.getCause().getMessage()).contains("lost the leader lease");
        }
        assertThat(
                catchThrowableOfType(
                        PoolException.class, () -> pool.submit(kind, PoolChild.input(99)))
                    .code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
        gated.gate.countDown(); // the worker answers, too late
        Thread.sleep(300);
        for (var h : handles) {
          // RUNNING when the store learned, before the deposition, that worker-a held it
          assertThat(stores.tasks().get(h.id()).orElseThrow().state())
              .as("nothing completes while deposed")
              .isIn(TaskState.QUEUED, TaskState.RUNNING);
        }

        lease.down = false; // the database is back: elected again
        List<TaskId> ids = handles.stream().map(io.poolforge.compute.api.TaskHandle::id).toList();
        waitFor(() -> completed(stores, ids) == n, "every task completes after re-election");
        var again = pool.submit(kind, PoolChild.input(100));
        assertThat(again.result().get(10, TimeUnit.SECONDS).worker())
            .isEqualTo(new WorkerId("worker-a"));
        worker.close();
      }
    }
  }

  private static long completed(JdbcStores stores, List<TaskId> ids) {
    return ids.stream()
        .filter(
            id -> stores.tasks().get(id).map(r -> r.state() == TaskState.COMPLETED).orElse(false))
        .count();
  }

  private static java.util.concurrent.Flow.Subscriber<PoolEvent> counting(AtomicInteger n) {
    return new java.util.concurrent.Flow.Subscriber<>() {
      @Override
      public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(PoolEvent e) {
        if (e instanceof PoolEvent.TaskCompleted) {
          n.incrementAndGet();
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    };
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
