package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.store.LedgerStore;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultRewardLedgerTest {
  static final String ALICE = "0x00000000000000000000000000000000000a11ce";
  static final String BOB = "0x0000000000000000000000000000000000000b0b";
  static final WorkerId W1 = new WorkerId("w1");
  static final WorkerId W2 = new WorkerId("w2");

  private final AtomicInteger creditTransactions = new AtomicInteger();
  private final LedgerStore store = counting(new InMemoryLedgerStore(), creditTransactions);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private final List<DefaultRewardLedger> ledgers = new ArrayList<>();

  private DefaultRewardLedger ledger() {
    DefaultRewardLedger l =
        DefaultRewardLedger.builder()
            .store(store)
            .clock(clock)
            .listener(events::add)
            .epochLength(Duration.ofHours(1))
            .build();
    ledgers.add(l);
    return l;
  }

  @AfterEach
  void close() {
    ledgers.forEach(DefaultRewardLedger::close);
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void creditsEachTaskExactlyOnceUnderConcurrentDuplicates() throws Exception {
    DefaultRewardLedger ledger = ledger();
    int tasks = 2000;
    int threads = 12;
    AtomicInteger credited = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      all.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    List<CompletableFuture<Boolean>> async = new ArrayList<>();
                    for (int i = 1; i <= tasks; i++) {
                      // every thread reports every task, as reassigned or late results would;
                      // half go through the synchronous path and half through the batched one
                      WorkerId w = (i + seed) % 2 == 0 ? W1 : W2;
                      String to = w == W1 ? ALICE : BOB;
                      if (seed % 2 == 0) {
                        if (ledger.credit(new TaskId(i), w, to, big(10))) {
                          credited.incrementAndGet();
                        }
                      } else {
                        async.add(ledger.creditAsync(new TaskId(i), w, to, big(10)));
                      }
                    }
                    async.forEach(
                        f -> {
                          if (f.join()) {
                            credited.incrementAndGet();
                          }
                        });
                  }));
    }
    start.countDown();
    for (Thread t : all) {
      t.join();
    }
    assertThat(credited.get()).isEqualTo(tasks);
    Map<String, BigInteger> totals = ledger.totals();
    assertThat(totals.values().stream().reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(big(10L * tasks));
    // group commit: far fewer store transactions than credit calls
    assertThat(creditTransactions.get()).isLessThan(tasks * threads);
  }

  @Test
  void aRestartedLedgerStillRefusesAlreadyCreditedTasks() {
    DefaultRewardLedger first = ledger();
    assertThat(first.credit(new TaskId(1), W1, ALICE, big(5))).isTrue();
    first.closeEpoch();
    first.close();
    DefaultRewardLedger second = ledger();
    assertThat(second.currentEpoch()).isEqualTo(1);
    assertThat(second.credit(new TaskId(1), W2, BOB, big(5))).isFalse();
    assertThat(second.totals()).containsExactly(Map.entry(ALICE, big(5)));
  }

  // entries are sorted by address: 0x...0b0b (BOB) before 0x...a11ce (ALICE)
  @Test
  void statementsAreCumulativeWithAProofPerAddress() {
    DefaultRewardLedger ledger = ledger();
    ledger.credit(new TaskId(1), W1, ALICE, big(100));
    ledger.credit(new TaskId(2), W2, BOB, big(7));
    EpochStatement s0 = ledger.closeEpoch();
    assertThat(s0.epoch()).isZero();
    assertThat(s0.entries()).containsExactly(new Payout(BOB, big(7)), new Payout(ALICE, big(100)));

    clock.advance(Duration.ofMinutes(5));
    ledger.credit(new TaskId(3), W1, ALICE.toUpperCase().replace("0X", "0x"), big(1));
    EpochStatement s1 = ledger.closeEpoch();
    assertThat(s1.epoch()).isEqualTo(1);
    assertThat(s1.closedAt()).isEqualTo(clock.instant());
    assertThat(s1.entries()).containsExactly(new Payout(BOB, big(7)), new Payout(ALICE, big(101)));
    for (Payout p : s1.entries()) {
      assertThat(
              EvmMerkleTree.verify(s1.merkleRoot(), p.address(), p.amount(), s1.proof(p.address())))
          .isTrue();
    }
    assertThat(s1.merkleRoot()).isEqualTo(EvmMerkleTree.of(s1.entries()).root());
    assertThat(ledger.statement(0)).contains(s0);
    assertThat(ledger.statement(1)).contains(s1);
    assertThat(ledger.statement(2)).isEmpty();
    assertThat(events)
        .containsExactly(
            new PoolEvent.EpochClosed(s0.closedAt(), 0, s0.merkleRoot(), 2),
            new PoolEvent.EpochClosed(s1.closedAt(), 1, s1.merkleRoot(), 2));
  }

  @Test
  void anEmptyEpochHasAnEmptyRoot() {
    EpochStatement s = ledger().closeEpoch();
    assertThat(s.entries()).isEmpty();
    assertThat(s.merkleRoot()).isEqualTo(Bytes.EMPTY);
  }

  @Test
  void forfeitTakesOnlyTheOpenEpochsCreditsAndTheTaskStaysCredited() {
    DefaultRewardLedger ledger = ledger();
    ledger.credit(new TaskId(1), W1, ALICE, big(10));
    ledger.closeEpoch();
    ledger.credit(new TaskId(2), W1, ALICE, big(20));
    ledger.credit(new TaskId(3), W1, ALICE, big(30));
    ledger.credit(new TaskId(4), W2, BOB, big(4));
    assertThat(ledger.forfeit(W1, "wrong result caught by spot check")).isEqualTo(big(50));
    assertThat(ledger.credit(new TaskId(2), W1, ALICE, big(20))).isFalse();
    EpochStatement s = ledger.closeEpoch();
    assertThat(s.entries()).containsExactly(new Payout(BOB, big(4)), new Payout(ALICE, big(10)));
  }

  @Test
  void forfeitIncludesCreditsStillQueued() {
    DefaultRewardLedger ledger = ledger();
    List<CompletableFuture<Boolean>> queued = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      queued.add(ledger.creditAsync(new TaskId(i), W1, ALICE, big(1)));
    }
    assertThat(ledger.forfeit(W1, "cheated")).isEqualTo(big(200));
    assertThat(queued).allSatisfy(f -> assertThat(f).isCompletedWithValue(true));
  }

  @Test
  void epochsCloseWhenDueByTheClock() {
    DefaultRewardLedger ledger = ledger();
    ledger.credit(new TaskId(1), W1, ALICE, big(10));
    clock.advance(Duration.ofMinutes(59));
    assertThat(ledger.closeEpochIfDue()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(ledger.closeEpochIfDue()).hasValueSatisfying(s -> assertThat(s.epoch()).isZero());
    assertThat(ledger.closeEpochIfDue()).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(ledger.closeEpochIfDue()).hasValueSatisfying(s -> assertThat(s.epoch()).isOne());
  }

  @Test
  void scheduledClosesFollowTheInjectedClock() throws Exception {
    DefaultRewardLedger ledger = ledger();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ledger.scheduleEpochs(scheduler, Duration.ofMillis(5));
      Thread.sleep(50);
      assertThat(ledger.currentEpoch()).isZero();
      clock.advance(Duration.ofHours(1));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ledger.currentEpoch() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(ledger.currentEpoch()).isOne();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void badInputIsRejectedNamingTheField() {
    DefaultRewardLedger ledger = ledger();
    TaskId t = new TaskId(1);
    assertField(() -> ledger.credit(t, W1, ALICE, BigInteger.ZERO), "amount");
    assertField(() -> ledger.credit(t, W1, ALICE, big(-3)), "amount");
    assertField(() -> ledger.credit(t, W1, ALICE, BigInteger.TWO.pow(255)), "amount");
    assertField(
        () -> ledger.credit(t, W1, "EQD4FPq-PRDieyQKkizFTRtSDyucUIqrj0v", big(1)), "payoutAddress");
    assertField(() -> ledger.credit(null, W1, ALICE, big(1)), "task");
    assertField(() -> ledger.creditAsync(t, null, ALICE, big(1)), "worker");
    assertField(() -> ledger.forfeit(W1, " "), "reason");
    assertField(() -> ledger.statement(-1), "epoch");
    assertField(() -> DefaultRewardLedger.builder().build(), "store");
    assertField(
        () -> DefaultRewardLedger.builder().epochLength(Duration.ofMillis(10)), "epochLength");
    assertThatThrownBy(() -> DefaultRewardLedger.builder().store(store).store(store))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
    // nothing was stored by the bad calls, and the task can still be credited
    assertThat(ledger.totals()).isEmpty();
    assertThat(ledger.credit(t, W1, ALICE, big(1))).isTrue();
  }

  @Test
  void anUnknownEpochIsNotFoundWithTheOpenEpochNamed() {
    DefaultRewardLedger ledger = ledger();
    ledger.closeEpoch();
    assertThat(ledger.requireStatement(0).epoch()).isZero();
    assertThatThrownBy(() -> ledger.requireStatement(5))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.field()).isEqualTo("epoch");
            })
        .hasMessageContaining("5 is not closed")
        .hasMessageContaining("1 is open");
    assertField(() -> ledger.requireStatement(-1), "epoch");
  }

  @Test
  void closeIfDueNeedsAnEpochLength() {
    DefaultRewardLedger l = DefaultRewardLedger.builder().store(store).clock(clock).build();
    ledgers.add(l);
    assertThatThrownBy(l::closeEpochIfDue)
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
  }

  @Test
  void aClosedLedgerRefusesCredits() {
    DefaultRewardLedger ledger = ledger();
    ledger.close();
    assertThatThrownBy(() -> ledger.credit(new TaskId(1), W1, ALICE, big(1)))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
  }

  /** The real in-memory store, counting its credit transactions to show group commit. */
  static LedgerStore counting(LedgerStore delegate, AtomicInteger creditCalls) {
    return (LedgerStore)
        Proxy.newProxyInstance(
            LedgerStore.class.getClassLoader(),
            new Class<?>[] {LedgerStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("credit")) {
                creditCalls.incrementAndGet();
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static void assertField(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
            });
  }
}
