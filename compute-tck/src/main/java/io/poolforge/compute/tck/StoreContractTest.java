package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.Requirements;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.SettlementRecord;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Stores}: every promise that the Javadoc of {@link
 * io.poolforge.compute.api.store.TaskStore}, {@link io.poolforge.compute.api.store.LedgerStore} and
 * {@link io.poolforge.compute.api.store.BlobStore} makes, bad input included.
 *
 * <p>An implementation subclasses it and overrides {@link #openFreshStores()} (an empty database on
 * each call, opened with a small blob limit such as 64 KiB so the oversize case stays cheap) and,
 * if its stores are {@linkplain Stores#durable() durable}, {@link #reopenStores()} (the database of
 * the last {@code openFreshStores()} again, as after a restart).
 *
 * <p>Not thread-safe; JUnit runs one test of an instance at a time.
 *
 * @since 0.1.0
 */
public abstract class StoreContractTest {
  /** A fixed instant with nanoseconds, so stores must keep full precision. */
  protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456789Z");

  private static final WorkerId ALICE = new WorkerId("alice");
  private static final WorkerId BOB = new WorkerId("bob");

  /** The stores under test, opened fresh before each test and closed after it. */
  protected @Nullable Stores stores;

  /**
   * Opens stores on a new, empty database.
   *
   * @return the stores; the suite closes them
   */
  protected abstract Stores openFreshStores();

  /**
   * Opens the database of the last {@link #openFreshStores()} again after the suite closed it.
   * Durable implementations override it; the default refuses.
   *
   * @return the stores over the same data
   */
  protected Stores reopenStores() {
    throw new UnsupportedOperationException(getClass().getName() + " cannot reopen its stores");
  }

  @BeforeEach
  void openStores() {
    stores = openFreshStores();
  }

  @AfterEach
  void closeStores() {
    if (stores != null) {
      stores.close();
    }
  }

  private Stores s() {
    return java.util.Objects.requireNonNull(stores, "stores");
  }

  // ---------------------------------------------------------------- fixtures

  /**
   * A spec that uses every field, so a store must round-trip all of them.
   *
   * @param n varies the payload and labels
   * @return the spec
   */
  protected static TaskSpec richSpec(int n) {
    return TaskSpec.builder("sha256", Bytes.wrap(("payload-" + n).getBytes()))
        .priority(Priority.HIGH)
        .submitter("team-" + (n % 3))
        .requirements(new Requirements(Set.of("cuda", "opencl"), 1L << 30, Set.of("eu"), true))
        .deadline(Duration.ofMillis(90_500))
        .verification(VerificationSpec.spotCheck(0.25))
        .maxAttempts(7)
        .labels(Map.of("job", "j" + n, "owner", "render-farm"))
        .build();
  }

  /**
   * A minimal spec.
   *
   * @return the spec
   */
  protected static TaskSpec plainSpec() {
    return TaskSpec.builder("noop", Bytes.EMPTY).build();
  }

  private static TaskRecord withState(TaskRecord r, TaskState state, Instant at) {
    return switch (state) {
      case COMPLETED ->
          new TaskRecord(
              r.id(),
              r.spec(),
              state,
              r.attempts() + 1,
              r.submittedAt(),
              at,
              ALICE,
              Bytes.wrap(new byte[] {9, 8, 7}),
              null,
              Bytes.wrap(new byte[] {5}));
      case FAILED ->
          new TaskRecord(
              r.id(),
              r.spec(),
              state,
              r.attempts() + 1,
              r.submittedAt(),
              at,
              null,
              null,
              new TaskStatus.Failure(ErrorCode.DEADLINE_EXCEEDED, "deadline of 90.5 s passed"),
              null);
      default ->
          new TaskRecord(
              r.id(),
              r.spec(),
              state,
              r.attempts() + (state == TaskState.RUNNING ? 1 : 0),
              r.submittedAt(),
              at,
              state == TaskState.RUNNING ? BOB : null,
              null,
              null,
              null);
    };
  }

  private List<TaskRecord> insertQueued(int count) {
    long first = s().tasks().reserveIds(count);
    List<TaskRecord> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(TaskRecord.queued(new TaskId(first + i), richSpec(i), T0.plusMillis(i)));
    }
    s().tasks().insert(batch);
    return batch;
  }

  private static CreditRecord credit(
      long task, WorkerId worker, String address, long epoch, long v) {
    return new CreditRecord(
        new TaskId(task), worker, address, epoch, BigInteger.valueOf(v), T0.plusSeconds(task));
  }

  private static EpochStatement statement(long epoch) {
    Bytes root = Bytes.wrap(new byte[32]);
    return new EpochStatement(
        epoch,
        T0.plusSeconds(3600 * (epoch + 1)),
        List.of(
            new Payout("0xaa", BigInteger.TEN),
            new Payout("0xbb", new BigInteger("1" + "0".repeat(70)))),
        root,
        Map.of("0xaa", List.of(Bytes.wrap(new byte[32])), "0xbb", List.of()));
  }

  private static SettlementBatch batch(long epoch, int index) {
    return SettlementBatch.of(
        epoch,
        "evm:31337",
        index,
        List.of(new Payout("0xaa", BigInteger.valueOf(10 + index))),
        Bytes.wrap(new byte[32]));
  }

  private static SignedSettlement signed(SettlementBatch b, int variant) {
    return new SignedSettlement(
        b,
        Bytes.wrap(new byte[] {1, (byte) variant}),
        Bytes.wrap(new byte[] {7, 7, (byte) variant}));
  }

  private static PoolException expectPool(ErrorCode code, ThrowingRunnable call) {
    PoolException e = catchThrowableOfType(PoolException.class, call::run);
    assertThat(e).as("a PoolException with code " + code).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    return e;
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- tasks

  /** {@link io.poolforge.compute.api.store.TaskStore}. */
  @Nested
  @DisplayName("TaskStore")
  class Tasks {
    @Test
    void insertedRecordsReadBackEqual() {
      List<TaskRecord> batch = insertQueued(3);
      for (TaskRecord r : batch) {
        assertThat(s().tasks().get(r.id())).contains(r);
      }
      TaskRecord plain = TaskRecord.queued(new TaskId(s().tasks().reserveIds(1)), plainSpec(), T0);
      s().tasks().insert(List.of(plain));
      assertThat(s().tasks().get(plain.id())).contains(plain);
    }

    @Test
    void unknownIdIsEmpty() {
      assertThat(s().tasks().get(new TaskId(Long.MAX_VALUE))).isEmpty();
    }

    @Test
    void emptyBatchesAreNoOps() {
      s().tasks().insert(List.of());
      s().tasks().update(List.of());
      assertThat(s().tasks().list(TaskState.QUEUED, null, 10).items()).isEmpty();
    }

    @Test
    void updatesReplaceEveryField() {
      List<TaskRecord> batch = insertQueued(3);
      TaskRecord done = withState(batch.get(0), TaskState.COMPLETED, T0.plusSeconds(5));
      TaskRecord failed = withState(batch.get(1), TaskState.FAILED, T0.plusSeconds(6));
      TaskRecord running = withState(batch.get(2), TaskState.RUNNING, T0.plusSeconds(7));
      s().tasks().update(List.of(done, failed, running));
      assertThat(s().tasks().get(done.id())).contains(done);
      assertThat(s().tasks().get(failed.id())).contains(failed);
      assertThat(s().tasks().get(running.id())).contains(running);
      assertThat(s().tasks().list(TaskState.QUEUED, null, 10).items()).isEmpty();
      assertThat(s().tasks().list(TaskState.COMPLETED, null, 10).items()).containsExactly(done);
    }

    @Test
    void insertOfAnExistingIdStoresNothingOfTheBatch() {
      TaskRecord existing = insertQueued(1).get(0);
      long fresh = s().tasks().reserveIds(1);
      TaskRecord newOne = TaskRecord.queued(new TaskId(fresh), plainSpec(), T0);
      PoolException e =
          expectPool(
              ErrorCode.INVALID_ARGUMENT,
              () ->
                  s().tasks()
                      .insert(
                          List.of(
                              newOne,
                              TaskRecord.queued(existing.id(), plainSpec(), T0.plusSeconds(1)))));
      assertThat(e.getMessage()).contains(existing.id().toString());
      assertThat(s().tasks().get(newOne.id())).isEmpty();
      assertThat(s().tasks().get(existing.id())).contains(existing);
    }

    @Test
    void aLargeBatchWithOneExistingIdStoresNothing() {
      TaskRecord existing = insertQueued(1).get(0);
      long first = s().tasks().reserveIds(500);
      List<TaskRecord> batch = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        batch.add(TaskRecord.queued(new TaskId(first + i), plainSpec(), T0));
      }
      batch.add(250, TaskRecord.queued(existing.id(), plainSpec(), T0));
      PoolException e = expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().insert(batch));
      assertThat(e.getMessage()).contains(existing.id().toString());
      assertThat(s().tasks().get(new TaskId(first))).isEmpty();
      assertThat(s().tasks().get(new TaskId(first + 499))).isEmpty();
      assertThat(s().tasks().get(existing.id())).contains(existing);
    }

    @Test
    void insertWithAnIdTwiceInTheBatchStoresNothing() {
      long id = s().tasks().reserveIds(1);
      TaskRecord r = TaskRecord.queued(new TaskId(id), plainSpec(), T0);
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().insert(List.of(r, r)));
      assertThat(s().tasks().get(r.id())).isEmpty();
    }

    @Test
    void updateOfAnUnknownIdStoresNothingOfTheBatch() {
      TaskRecord existing = insertQueued(1).get(0);
      TaskRecord changed = withState(existing, TaskState.RUNNING, T0.plusSeconds(1));
      TaskRecord unknown =
          TaskRecord.queued(new TaskId(s().tasks().reserveIds(1)), plainSpec(), T0);
      expectPool(ErrorCode.NOT_FOUND, () -> s().tasks().update(List.of(changed, unknown)));
      assertThat(s().tasks().get(existing.id())).contains(existing);
      assertThat(s().tasks().get(unknown.id())).isEmpty();
    }

    @Test
    void listPagesByAscendingIdWithinOneState() {
      List<TaskRecord> batch = insertQueued(30);
      List<TaskRecord> running = new ArrayList<>();
      for (int i = 0; i < 30; i += 6) {
        running.add(withState(batch.get(i), TaskState.RUNNING, T0.plusSeconds(1)));
      }
      s().tasks().update(running);
      List<Long> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Page<TaskRecord> page = s().tasks().list(TaskState.QUEUED, cursor, 10);
        assertThat(page.items()).allMatch(r -> r.state() == TaskState.QUEUED);
        assertThat(page.items().size()).isLessThanOrEqualTo(10);
        page.items().forEach(r -> seen.add(r.id().value()));
        cursor = page.nextCursor();
        pages++;
      } while (cursor != null && pages < 10);
      assertThat(cursor).as("the last page has no cursor").isNull();
      assertThat(pages).isEqualTo(3);
      List<Long> expected = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        if (i % 6 != 0) {
          expected.add(batch.get(i).id().value());
        }
      }
      assertThat(seen).containsExactlyElementsOf(expected);
      assertThat(s().tasks().list(TaskState.RUNNING, null, 100).items())
          .containsExactlyElementsOf(running);
    }

    @Test
    void forEachUnfinishedStreamsNonTerminalTasksByAscendingId() {
      List<TaskRecord> batch = insertQueued(12);
      List<TaskRecord> changes = new ArrayList<>();
      TaskState[] cycle = {
        TaskState.RUNNING,
        TaskState.VERIFYING,
        TaskState.COMPLETED,
        TaskState.FAILED,
        TaskState.CANCELLED,
        TaskState.QUEUED
      };
      List<Long> expected = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        TaskState st = cycle[i % cycle.length];
        if (st != TaskState.QUEUED) {
          changes.add(withState(batch.get(i), st, T0.plusSeconds(2)));
        }
        if (!st.isTerminal()) {
          expected.add(batch.get(i).id().value());
        }
      }
      s().tasks().update(changes);
      List<Long> seen = new ArrayList<>();
      s().tasks().forEachUnfinished(r -> seen.add(r.id().value()));
      assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void deleteFinishedBeforeRemovesOnlyOldTerminalTasks() {
      List<TaskRecord> batch = insertQueued(6);
      Instant cutoff = T0.plusSeconds(100);
      s().tasks()
          .update(
              List.of(
                  withState(batch.get(0), TaskState.COMPLETED, cutoff.minusNanos(1)),
                  withState(batch.get(1), TaskState.FAILED, cutoff.minusSeconds(50)),
                  withState(batch.get(2), TaskState.CANCELLED, cutoff.minusSeconds(1)),
                  withState(batch.get(3), TaskState.COMPLETED, cutoff),
                  withState(batch.get(4), TaskState.RUNNING, cutoff.minusSeconds(90))));
      assertThat(s().tasks().deleteFinishedBefore(cutoff)).isEqualTo(3);
      assertThat(s().tasks().get(batch.get(0).id())).isEmpty();
      assertThat(s().tasks().get(batch.get(1).id())).isEmpty();
      assertThat(s().tasks().get(batch.get(2).id())).isEmpty();
      assertThat(s().tasks().get(batch.get(3).id())).isPresent();
      assertThat(s().tasks().get(batch.get(4).id())).isPresent();
      assertThat(s().tasks().get(batch.get(5).id())).isPresent();
      assertThat(s().tasks().deleteFinishedBefore(cutoff)).isZero();
    }

    @Test
    void aGroupCommitOfTenThousandRecordsIsOneInsert() {
      long first = s().tasks().reserveIds(10_000);
      List<TaskRecord> batch = new ArrayList<>(10_000);
      TaskSpec spec = plainSpec();
      for (int i = 0; i < 10_000; i++) {
        batch.add(TaskRecord.queued(new TaskId(first + i), spec, T0));
      }
      s().tasks().insert(batch);
      int[] count = {0};
      long[] last = {0};
      s().tasks()
          .forEachUnfinished(
              r -> {
                assertThat(r.id().value()).isGreaterThan(last[0]);
                last[0] = r.id().value();
                count[0]++;
              });
      assertThat(count[0]).isEqualTo(10_000);
    }

    @Test
    void reservedIdBlocksNeverOverlapAcrossThreads() throws Exception {
      ConcurrentLinkedQueue<long[]> blocks = new ConcurrentLinkedQueue<>();
      runConcurrently(
          6,
          () -> {
            Random rnd = new Random();
            for (int i = 0; i < 50; i++) {
              int n = 1 + rnd.nextInt(40);
              blocks.add(new long[] {s().tasks().reserveIds(n), n});
            }
            return null;
          });
      List<long[]> sorted = new ArrayList<>(blocks);
      sorted.sort((a, b) -> Long.compare(a[0], b[0]));
      assertThat(sorted).hasSize(300);
      assertThat(sorted.get(0)[0]).isPositive();
      for (int i = 1; i < sorted.size(); i++) {
        long[] prev = sorted.get(i - 1);
        assertThat(sorted.get(i)[0]).isGreaterThanOrEqualTo(prev[0] + prev[1]);
      }
    }

    @Test
    void concurrentBatchesAllLand() throws Exception {
      List<Integer> sizes =
          runConcurrently(
              4,
              () -> {
                int total = 0;
                for (int b = 0; b < 10; b++) {
                  long first = s().tasks().reserveIds(50);
                  List<TaskRecord> batch = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    batch.add(TaskRecord.queued(new TaskId(first + i), plainSpec(), T0));
                  }
                  s().tasks().insert(batch);
                  total += batch.size();
                }
                return total;
              });
      int[] count = {0};
      s().tasks().forEachUnfinished(r -> count[0]++);
      assertThat(count[0]).isEqualTo(sizes.stream().mapToInt(Integer::intValue).sum());
    }
  }

  // ---------------------------------------------------------------- ledger

  /** {@link io.poolforge.compute.api.store.LedgerStore}. */
  @Nested
  @DisplayName("LedgerStore")
  class Ledger {
    @Test
    void theFirstOpenEpochIsZero() {
      assertThat(s().ledger().openEpoch()).isZero();
      assertThat(s().ledger().cumulativeTotals(0)).isEmpty();
    }

    @Test
    void aTaskIsCreditedOnce() {
      CreditRecord c1 = credit(1, ALICE, "0xaa", 0, 5);
      CreditRecord c1again = credit(1, BOB, "0xbb", 0, 99);
      CreditRecord c2 = credit(2, ALICE, "0xaa", 0, 7);
      assertThat(s().ledger().credit(List.of(c1, c1again))).containsExactly(c1);
      assertThat(s().ledger().credit(List.of(c1, c2))).containsExactly(c2);
      assertThat(s().ledger().credit(List.of())).isEmpty();
      assertThat(s().ledger().cumulativeTotals(0))
          .containsExactly(Map.entry("0xaa", BigInteger.valueOf(12)));
    }

    @Test
    void concurrentDuplicateCreditsCountExactlyOnce() throws Exception {
      List<CreditRecord> all = new ArrayList<>();
      for (int t = 1; t <= 400; t++) {
        all.add(credit(t, t % 2 == 0 ? ALICE : BOB, t % 2 == 0 ? "0xaa" : "0xbb", 0, t));
      }
      List<Integer> stored =
          runConcurrently(
              6,
              () -> {
                List<CreditRecord> mine = new ArrayList<>(all);
                Collections.shuffle(mine);
                int n = 0;
                for (int i = 0; i < mine.size(); i += 40) {
                  n += s().ledger().credit(mine.subList(i, i + 40)).size();
                }
                return n;
              });
      assertThat(stored.stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
      BigInteger even = BigInteger.ZERO;
      BigInteger odd = BigInteger.ZERO;
      for (int t = 1; t <= 400; t++) {
        if (t % 2 == 0) {
          even = even.add(BigInteger.valueOf(t));
        } else {
          odd = odd.add(BigInteger.valueOf(t));
        }
      }
      assertThat(s().ledger().cumulativeTotals(0))
          .containsExactlyInAnyOrderEntriesOf(Map.of("0xaa", even, "0xbb", odd));
    }

    @Test
    void cumulativeTotalsCountEpochsUpToTheGivenOne() {
      BigInteger big = BigInteger.ONE.shiftLeft(200);
      s().ledger()
          .credit(
              List.of(
                  credit(1, ALICE, "0xaa", 0, 5),
                  new CreditRecord(new TaskId(2), ALICE, "0xaa", 0, big, T0),
                  credit(3, ALICE, "0xaa", 1, 11),
                  credit(4, BOB, "0xbb", 1, 2),
                  credit(5, BOB, "0xbb", 3, 100)));
      assertThat(s().ledger().cumulativeTotals(0))
          .containsExactlyInAnyOrderEntriesOf(Map.of("0xaa", big.add(BigInteger.valueOf(5))));
      assertThat(s().ledger().cumulativeTotals(2))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("0xaa", big.add(BigInteger.valueOf(16)), "0xbb", BigInteger.TWO));
      assertThat(s().ledger().cumulativeTotals(3)).containsEntry("0xbb", BigInteger.valueOf(102));
    }

    @Test
    void forfeitRemovesOneWorkersCreditsOfTheOpenEpoch() {
      s().ledger()
          .credit(
              List.of(
                  credit(1, ALICE, "0xaa", 0, 5),
                  credit(2, ALICE, "0xcc", 0, 6),
                  credit(3, BOB, "0xaa", 0, 7)));
      assertThat(s().ledger().forfeit(ALICE, 0)).isEqualTo(BigInteger.valueOf(11));
      assertThat(s().ledger().cumulativeTotals(0))
          .containsExactlyInAnyOrderEntriesOf(Map.of("0xaa", BigInteger.valueOf(7)));
      assertThat(s().ledger().forfeit(ALICE, 0)).isEqualTo(BigInteger.ZERO);
      assertThat(s().ledger().forfeit(new WorkerId("nobody"), 0)).isEqualTo(BigInteger.ZERO);
      // a forfeited task stays credited: it cannot be credited again
      assertThat(s().ledger().credit(List.of(credit(1, ALICE, "0xaa", 0, 5)))).isEmpty();
      assertThat(s().ledger().cumulativeTotals(0)).containsEntry("0xaa", BigInteger.valueOf(7));
    }

    @Test
    void forfeitOfAClosedEpochIsRefused() {
      s().ledger().credit(List.of(credit(1, ALICE, "0xaa", 0, 5)));
      s().ledger().closeEpoch(statement(0));
      expectPool(ErrorCode.FAILED_PRECONDITION, () -> s().ledger().forfeit(ALICE, 0));
      assertThat(s().ledger().cumulativeTotals(0)).containsEntry("0xaa", BigInteger.valueOf(5));
    }

    @Test
    void closingAnEpochStoresItsStatementAndOpensTheNext() {
      expectPool(ErrorCode.FAILED_PRECONDITION, () -> s().ledger().closeEpoch(statement(1)));
      assertThat(s().ledger().openEpoch()).isZero();
      EpochStatement st = statement(0);
      s().ledger().closeEpoch(st);
      assertThat(s().ledger().openEpoch()).isEqualTo(1);
      assertThat(s().ledger().statement(0)).contains(st);
      assertThat(s().ledger().statement(1)).isEmpty();
      expectPool(ErrorCode.FAILED_PRECONDITION, () -> s().ledger().closeEpoch(statement(0)));
      EpochStatement empty = new EpochStatement(1, T0, List.of(), Bytes.EMPTY, Map.of());
      s().ledger().closeEpoch(empty);
      assertThat(s().ledger().statement(1)).contains(empty);
      assertThat(s().ledger().openEpoch()).isEqualTo(2);
    }

    @Test
    void settlementsFollowTheirLifeAndConfirmedIsFinal() {
      SettlementBatch b = batch(0, 0);
      SettlementRecord pending =
          new SettlementRecord(b, SettlementState.PENDING, null, 0, T0, null);
      s().ledger().putSettlement(pending);
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(pending);
      SettlementRecord signedRec =
          new SettlementRecord(b, SettlementState.SIGNED, signed(b, 1), 0, T0.plusSeconds(1), null);
      s().ledger().putSettlement(signedRec);
      SettlementRecord submitted =
          new SettlementRecord(
              b, SettlementState.SUBMITTED, signed(b, 1), 2, T0.plusSeconds(2), "0xhash");
      s().ledger().putSettlement(submitted);
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(submitted);
      SettlementRecord confirmed =
          new SettlementRecord(
              b, SettlementState.CONFIRMED, signed(b, 1), 2, T0.plusSeconds(3), "0xhash");
      s().ledger().putSettlement(confirmed);
      expectPool(
          ErrorCode.FAILED_PRECONDITION,
          () ->
              s().ledger()
                  .putSettlement(
                      new SettlementRecord(
                          b, SettlementState.SUBMITTED, signed(b, 1), 3, T0.plusSeconds(4), null)));
      expectPool(ErrorCode.FAILED_PRECONDITION, () -> s().ledger().putSettlement(confirmed));
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(confirmed);
    }

    @Test
    void signedBytesChangeOnlyThroughRequeued() {
      SettlementBatch b = batch(0, 1);
      s().ledger()
          .putSettlement(
              new SettlementRecord(b, SettlementState.SIGNED, signed(b, 1), 0, T0, null));
      SettlementRecord submitted =
          new SettlementRecord(b, SettlementState.SUBMITTED, signed(b, 1), 1, T0, null);
      s().ledger().putSettlement(submitted);
      expectPool(
          ErrorCode.FAILED_PRECONDITION,
          () ->
              s().ledger()
                  .putSettlement(
                      new SettlementRecord(
                          b, SettlementState.SUBMITTED, signed(b, 2), 2, T0, null)));
      expectPool(
          ErrorCode.FAILED_PRECONDITION,
          () ->
              s().ledger()
                  .putSettlement(
                      new SettlementRecord(b, SettlementState.PENDING, null, 1, T0, null)));
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(submitted);
      SettlementRecord requeued =
          new SettlementRecord(
              b, SettlementState.REQUEUED, null, 1, T0.plusSeconds(1), "nonce taken");
      s().ledger().putSettlement(requeued);
      SettlementRecord resigned =
          new SettlementRecord(b, SettlementState.SIGNED, signed(b, 2), 0, T0.plusSeconds(2), null);
      s().ledger().putSettlement(resigned);
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(resigned);
    }

    @Test
    void settlementsAreListedByStateOldestFirst() {
      List<SettlementRecord> recs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        SettlementBatch b = batch(2, i);
        SettlementRecord r =
            i % 2 == 0
                ? new SettlementRecord(b, SettlementState.PENDING, null, 0, T0, null)
                : new SettlementRecord(b, SettlementState.SUBMITTED, signed(b, i), 1, T0, null);
        recs.add(r);
        s().ledger().putSettlement(r);
      }
      // replacing a record keeps its age
      SettlementRecord first =
          new SettlementRecord(
              recs.get(0).batch(),
              SettlementState.SIGNED,
              signed(recs.get(0).batch(), 9),
              0,
              T0.plusSeconds(9),
              null);
      s().ledger().putSettlement(first);
      assertThat(
              s().ledger()
                  .settlements(EnumSet.of(SettlementState.SIGNED, SettlementState.SUBMITTED)))
          .containsExactly(first, recs.get(1), recs.get(3));
      assertThat(s().ledger().settlements(EnumSet.of(SettlementState.PENDING)))
          .containsExactly(recs.get(2));
      assertThat(s().ledger().settlements(Set.of())).isEmpty();
      assertThat(s().ledger().settlement(SettlementBatch.keyOf(9, "evm:1", 0))).isEmpty();
    }
  }

  // ---------------------------------------------------------------- blobs

  /** {@link io.poolforge.compute.api.store.BlobStore}. */
  @Nested
  @DisplayName("BlobStore")
  class Blobs {
    @Test
    void contentIsAddressedByItsCid() {
      Bytes content = Bytes.wrap("hello poolforge".getBytes());
      ContentId id = s().blobs().put(content);
      assertThat(id).isEqualTo(ContentId.of(content));
      assertThat(id.value()).startsWith("bafkrei");
      assertThat(s().blobs().get(id)).contains(content);
      assertThat(s().blobs().put(content)).isEqualTo(id);
      assertThat(s().blobs().put(Bytes.EMPTY)).isEqualTo(ContentId.of(Bytes.EMPTY));
      assertThat(s().blobs().get(ContentId.of(Bytes.EMPTY))).contains(Bytes.EMPTY);
    }

    @Test
    void deleteRemovesOnce() {
      ContentId id = s().blobs().put(Bytes.wrap(new byte[] {1, 2, 3}));
      assertThat(s().blobs().delete(id)).isTrue();
      assertThat(s().blobs().delete(id)).isFalse();
      assertThat(s().blobs().get(id)).isEmpty();
    }

    @Test
    void unknownIdsAreEmpty() {
      ContentId unknown = ContentId.of(Bytes.wrap("never stored".getBytes()));
      assertThat(s().blobs().get(unknown)).isEmpty();
      assertThat(s().blobs().delete(unknown)).isFalse();
    }

    @Test
    void theLimitIsInclusiveAndOversizeIsRefusedNamingIt() {
      long max = s().blobs().maxBlobBytes();
      assumeTrue(max <= 16 << 20, "open the stores under test with a blob limit of at most 16 MiB");
      Bytes atLimit = Bytes.wrap(new byte[(int) max]);
      assertThat(s().blobs().get(s().blobs().put(atLimit))).contains(atLimit);
      byte[] over = new byte[(int) max + 1];
      over[0] = 42;
      PoolException e =
          expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().blobs().put(Bytes.wrap(over)));
      assertThat(e.getMessage()).contains(Long.toString(max));
      assertThat(s().blobs().get(ContentId.of(Bytes.wrap(over)))).isEmpty();
    }
  }

  // ---------------------------------------------------------------- bad input

  /** Bad input gets a PoolException naming the field, and disturbs nothing. */
  @Nested
  @DisplayName("bad input")
  class BadInput {
    @Test
    @SuppressWarnings("NullAway")
    void nullsAreRefusedNamingTheField() {
      assertThat(
              expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().insert(nullList())).field())
          .isEqualTo("tasks");
      List<TaskRecord> withNull = new ArrayList<>();
      withNull.add(null);
      assertThat(
              expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().update(withNull))
                  .getMessage())
          .contains("tasks");
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().get(nullValue()));
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().ledger().credit(nullList()));
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().ledger().putSettlement(nullValue()));
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().ledger().closeEpoch(nullValue()));
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().blobs().put(nullValue()));
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().blobs().get(nullValue()));
    }

    @Test
    void reserveIdsChecksTheCount() {
      for (int bad : new int[] {0, -1, 1_000_001}) {
        PoolException e = expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().reserveIds(bad));
        assertThat(e.getMessage()).contains("count").contains("1000000");
      }
      assertThat(s().tasks().reserveIds(1_000_000)).isPositive();
    }

    @Test
    void listChecksTheLimitAndTheCursor() {
      insertQueued(3);
      expectPool(ErrorCode.INVALID_ARGUMENT, () -> s().tasks().list(TaskState.QUEUED, null, 0));
      expectPool(
          ErrorCode.INVALID_ARGUMENT,
          () -> s().tasks().list(TaskState.QUEUED, null, Page.MAX_LIMIT + 1));
      for (String bad : new String[] {"abc", "-5", "", "1; drop table tasks"}) {
        PoolException e =
            expectPool(
                ErrorCode.INVALID_ARGUMENT, () -> s().tasks().list(TaskState.QUEUED, bad, 10));
        assertThat(e.getMessage()).contains("cursor");
      }
      assertThat(s().tasks().list(TaskState.QUEUED, null, 10).items()).hasSize(3);
    }

    @SuppressWarnings("unchecked")
    private static <T> T nullValue() {
      return (T) NULL[0];
    }

    private static <T> List<T> nullList() {
      return nullValue();
    }

    private static final Object[] NULL = {null};
  }

  // ---------------------------------------------------------------- lifecycle

  /** Close and reopen. */
  @Nested
  @DisplayName("lifecycle")
  class Lifecycle {
    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() {
      Stores st = s();
      st.close();
      assertThatCode(st::close).doesNotThrowAnyException();
      PoolException e = catchThrowableOfType(PoolException.class, () -> st.tasks().reserveIds(1));
      assertThat(e).isNotNull();
      assertThat(e.code()).isIn(ErrorCode.FAILED_PRECONDITION, ErrorCode.UNAVAILABLE);
      assertThat(catchThrowableOfType(PoolException.class, () -> st.ledger().openEpoch()))
          .isNotNull();
      assertThat(
              catchThrowableOfType(
                  PoolException.class, () -> st.blobs().get(ContentId.of(Bytes.EMPTY))))
          .isNotNull();
    }

    @Test
    void durableStoresKeepEverythingAcrossReopen() {
      assumeTrue(s().durable(), "only durable stores keep data across a reopen");
      List<TaskRecord> tasks = insertQueued(5);
      TaskRecord done = withState(tasks.get(1), TaskState.COMPLETED, T0.plusSeconds(3));
      s().tasks().update(List.of(done));
      long lastReserved = s().tasks().reserveIds(10) + 9;
      s().ledger().credit(List.of(credit(1, ALICE, "0xaa", 0, 5), credit(2, BOB, "0xbb", 0, 6)));
      s().ledger().forfeit(BOB, 0);
      EpochStatement st = statement(0);
      s().ledger().closeEpoch(st);
      SettlementBatch b = batch(0, 0);
      SettlementRecord rec =
          new SettlementRecord(b, SettlementState.SUBMITTED, signed(b, 3), 1, T0, "0xhash");
      s().ledger().putSettlement(rec);
      Bytes blob = Bytes.wrap(new byte[] {4, 5, 6});
      ContentId cid = s().blobs().put(blob);
      s().close();

      stores = reopenStores();
      for (TaskRecord t : tasks) {
        assertThat(s().tasks().get(t.id())).contains(t.id().equals(done.id()) ? done : t);
      }
      assertThat(s().tasks().reserveIds(1)).isGreaterThan(lastReserved);
      assertThat(s().ledger().openEpoch()).isEqualTo(1);
      assertThat(s().ledger().statement(0)).contains(st);
      assertThat(s().ledger().cumulativeTotals(0))
          .isEqualTo(new TreeMap<>(Map.of("0xaa", BigInteger.valueOf(5))));
      assertThat(s().ledger().credit(List.of(credit(2, BOB, "0xbb", 1, 6)))).isEmpty();
      assertThat(s().ledger().settlement(b.idempotencyKey())).contains(rec);
      assertThat(s().blobs().get(cid)).contains(blob);
    }
  }
}
