package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.RewardLedger;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.LedgerStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reward ledger over a {@link LedgerStore}: credits each verified task once, forfeits a
 * cheater's uncredited-to-a-statement points, and closes epochs into {@link EpochStatement}s whose
 * Merkle root and proofs are those of OpenZeppelin's {@code StandardMerkleTree} over {@code
 * (address, uint256)} (see {@link EvmMerkleTree}).
 *
 * <p>Exactly once: the store keeps at most one credit per task, so a second result for the same
 * task (reassignment, late result, retry, or a restart that replays results) returns false. Credits
 * go through a group-commit queue drained by one loop on the builder's executor (a virtual thread
 * by default): concurrent callers share store transactions. Each credit is stamped with the epoch
 * open when it is committed; closing an epoch first commits the queue and then excludes credits
 * until the statement is stored, so a statement never misses a credit acknowledged before the
 * close.
 *
 * <p>Payout addresses must be EVM addresses ({@code 0x} + 40 hex digits); they are stored in
 * lowercase, so case variants of one address are one payee.
 *
 * <p>Thread-safe. {@link #credit}, {@link #forfeit}, {@link #closeEpoch} and {@link #totals} block
 * on the store; {@link #creditAsync} does not block.
 *
 * @since 0.1.0
 */
public final class DefaultRewardLedger implements RewardLedger, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DefaultRewardLedger.class);

  private final LedgerStore store;
  private final Clock clock;
  private final Consumer<? super PoolEvent> listener;
  private final @Nullable Duration epochLength;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final CreditBatcher batcher;
  private volatile long openEpoch;
  private volatile Instant epochOpenedAt;

  private DefaultRewardLedger(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.listener = b.listener;
    this.epochLength = b.epochLength;
    this.openEpoch = store.openEpoch();
    this.epochOpenedAt =
        openEpoch == 0
            ? clock.instant()
            : store.statement(openEpoch - 1).map(EpochStatement::closedAt).orElse(clock.instant());
    Executor executor =
        b.executor != null ? b.executor : Thread.ofVirtual().name("ledger-credits")::start;
    this.batcher = new CreditBatcher(executor, b.maxBatch, b.queueCapacity, this::commit);
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Accepts only EVM addresses: the statement's Merkle leaves are (address, uint256). */
  @Override
  public void checkPayoutAddress(String payoutAddress) {
    EvmAddress.canonical("worker.payoutAddress", payoutAddress);
  }

  @Override
  public boolean credit(TaskId task, WorkerId worker, String payoutAddress, BigInteger amount) {
    try {
      return creditAsync(task, worker, payoutAddress, amount).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof PoolException p) {
        throw p;
      }
      throw new PoolException(ErrorCode.INTERNAL, "ledger: crediting " + task + " failed", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws PoolException INVALID_ARGUMENT (thrown, not in the future) naming the field for a null
   *     argument, a non-EVM payout address or an amount outside (0, 2^255)
   */
  @Override
  public CompletableFuture<Boolean> creditAsync(
      TaskId task, WorkerId worker, String payoutAddress, BigInteger amount) {
    Checks.notNull("task", task);
    Checks.notNull("worker", worker);
    String address = EvmAddress.canonical("payoutAddress", payoutAddress);
    Checks.notNull("amount", amount);
    if (amount.signum() <= 0 || amount.bitLength() > 255) {
      throw PoolException.invalidArgument("amount", "is " + amount + ", must be in (0, 2^255)");
    }
    return batcher.submit(task, worker, address, amount);
  }

  private Set<TaskId> commit(List<CreditBatcher.Credit> credits) {
    lock.readLock().lock();
    try {
      long epoch = openEpoch;
      Instant now = clock.instant();
      List<CreditRecord> records = new ArrayList<>(credits.size());
      for (CreditBatcher.Credit c : credits) {
        records.add(new CreditRecord(c.task(), c.worker(), c.address(), epoch, c.amount(), now));
      }
      List<CreditRecord> added = store.credit(records);
      Set<TaskId> tasks = new HashSet<>(added.size() * 2);
      for (CreditRecord r : added) {
        tasks.add(r.task());
      }
      return tasks;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Waits until every credit submitted before this call is stored (or has failed).
   *
   * <p>Blocks.
   */
  public void flush() {
    batcher.flush();
  }

  @Override
  public BigInteger forfeit(WorkerId worker, String reason) {
    Checks.notNull("worker", worker);
    Checks.notBlank("reason", reason, 1024);
    batcher.flush();
    lock.writeLock().lock();
    try {
      long epoch = store.openEpoch(); // another coordinator may have closed one
      openEpoch = epoch;
      BigInteger amount = store.forfeit(worker, epoch);
      log.info("forfeited {} of {} in epoch {}: {}", amount, worker, epoch, reason);
      return amount;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public long currentEpoch() {
    return openEpoch;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Credits acknowledged before the call are in the statement; addresses whose cumulative amount
   * is zero are left out. An epoch with no payee has an empty root and no proofs.
   *
   * @throws PoolException FAILED_PRECONDITION if another ledger over the same store closed the
   *     epoch first (this ledger then follows the store's open epoch)
   */
  @Override
  public EpochStatement closeEpoch() {
    batcher.flush();
    EpochStatement statement;
    lock.writeLock().lock();
    try {
      long epoch = store.openEpoch(); // another coordinator over the same store may have closed one
      openEpoch = epoch;
      Map<String, BigInteger> totals = store.cumulativeTotals(epoch);
      List<Payout> entries = new ArrayList<>(totals.size());
      totals.forEach(
          (address, amount) -> {
            if (amount.signum() > 0) {
              entries.add(new Payout(address, amount));
            }
          });
      entries.sort((a, b) -> a.address().compareTo(b.address()));
      Instant now = clock.instant();
      if (entries.isEmpty()) {
        statement = new EpochStatement(epoch, now, entries, Bytes.EMPTY, Map.of());
      } else {
        EvmMerkleTree tree = EvmMerkleTree.of(entries);
        statement = new EpochStatement(epoch, now, entries, tree.root(), tree.proofs());
      }
      try {
        store.closeEpoch(statement);
      } catch (PoolException e) {
        openEpoch = store.openEpoch();
        throw e;
      }
      openEpoch = epoch + 1;
      epochOpenedAt = now;
    } finally {
      lock.writeLock().unlock();
    }
    emit(
        new PoolEvent.EpochClosed(
            statement.closedAt(),
            statement.epoch(),
            statement.merkleRoot(),
            statement.entries().size()));
    return statement;
  }

  /**
   * Closes the open epoch if the configured epoch length has passed since it opened (by the
   * builder's clock).
   *
   * @return the statement if it closed one now
   * @throws PoolException FAILED_PRECONDITION if no epoch length was configured
   */
  public Optional<EpochStatement> closeEpochIfDue() {
    Duration length = epochLength;
    if (length == null) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION, "epochLength: is not set on this ledger's builder");
    }
    if (clock.instant().isBefore(epochOpenedAt.plus(length))) {
      return Optional.empty();
    }
    return Optional.of(closeEpoch());
  }

  /**
   * Checks every {@code checkEvery} on {@code scheduler} whether the epoch is due, and closes it
   * (see {@link #closeEpochIfDue}). A failed close is logged and tried again at the next check.
   *
   * @param scheduler runs the checks; closing blocks on the store, so give it a thread that may
   *     block
   * @param checkEvery how often to check, &gt; 0
   * @return the schedule, to cancel
   */
  public ScheduledFuture<?> scheduleEpochs(
      ScheduledExecutorService scheduler, Duration checkEvery) {
    Checks.notNull("scheduler", scheduler);
    Checks.positive("checkEvery", checkEvery);
    if (epochLength == null) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION, "epochLength: is not set on this ledger's builder");
    }
    long nanos = checkEvery.toNanos();
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            closeEpochIfDue();
          } catch (RuntimeException e) {
            log.warn("scheduled epoch close failed; will retry", e);
          }
        },
        nanos,
        nanos,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<EpochStatement> statement(long epoch) {
    Checks.nonNegative("epoch", epoch);
    return store.statement(epoch);
  }

  /**
   * A closed epoch's statement, or an error saying why there is none.
   *
   * @param epoch the epoch, &gt;= 0
   * @return the statement
   * @throws PoolException INVALID_ARGUMENT for a negative epoch; NOT_FOUND naming the open epoch if
   *     {@code epoch} is not closed
   */
  public EpochStatement requireStatement(long epoch) {
    Checks.nonNegative("epoch", epoch);
    return store
        .statement(epoch)
        .orElseThrow(
            () ->
                new PoolException(
                    ErrorCode.NOT_FOUND,
                    "epoch",
                    "epoch: "
                        + epoch
                        + " is not closed; closed epochs are 0 to "
                        + (openEpoch - 1)
                        + " and "
                        + openEpoch
                        + " is open",
                    null));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counts stored credits; call {@link #flush} first to include queued ones.
   */
  @Override
  public Map<String, BigInteger> totals() {
    return store.cumulativeTotals(openEpoch);
  }

  private void emit(PoolEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      log.warn("ledger event listener failed on {}", event, e);
    }
  }

  /** Commits queued credits and stops the commit loop. Does not close the store. Idempotent. */
  @Override
  public void close() {
    batcher.close();
  }

  /**
   * Builds a {@link DefaultRewardLedger}. Each setter checks its argument and may be called once.
   *
   * <p>Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private @Nullable LedgerStore store;
    private Clock clock = Clock.systemUTC();
    private @Nullable Executor executor;
    private Consumer<? super PoolEvent> listener = e -> {};
    private @Nullable Duration epochLength;
    private int maxBatch = 1024;
    private int queueCapacity = 1 << 16;

    private Builder() {}

    /**
     * The store credits, statements and settlements live in. Required.
     *
     * @param store the store; the ledger does not close it
     * @return this
     */
    public Builder store(LedgerStore store) {
      Checks.notNull("store", store);
      set.mark("store");
      this.store = store;
      return this;
    }

    /**
     * The clock for credit times, statement times and epoch lengths. Default: system UTC.
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      Checks.notNull("clock", clock);
      set.mark("clock");
      this.clock = clock;
      return this;
    }

    /**
     * Runs the credit commit loop (one long-running task that blocks on the store). Default: a new
     * virtual thread.
     *
     * @param executor the executor
     * @return this
     */
    public Builder executor(Executor executor) {
      Checks.notNull("executor", executor);
      set.mark("executor");
      this.executor = executor;
      return this;
    }

    /**
     * Receives {@link PoolEvent.EpochClosed} after each close, on the closing thread; it must not
     * block for long. A {@code Settler} can be hooked here.
     *
     * @param listener the listener
     * @return this
     */
    public Builder listener(Consumer<? super PoolEvent> listener) {
      Checks.notNull("listener", listener);
      set.mark("listener");
      this.listener = listener;
      return this;
    }

    /**
     * How long an epoch lasts, for {@link #closeEpochIfDue} and {@link #scheduleEpochs}.
     *
     * @param length at least one second
     * @return this
     */
    public Builder epochLength(Duration length) {
      Checks.positive("epochLength", length);
      if (length.compareTo(Duration.ofSeconds(1)) < 0) {
        throw PoolException.invalidArgument("epochLength", "is " + length + ", must be >= 1s");
      }
      set.mark("epochLength");
      this.epochLength = length;
      return this;
    }

    /**
     * The most credits stored in one transaction. Default 1024.
     *
     * @param credits in [1, 100000]
     * @return this
     */
    public Builder maxBatch(int credits) {
      Checks.range("maxBatch", credits, 1, 100_000);
      set.mark("maxBatch");
      this.maxBatch = credits;
      return this;
    }

    /**
     * The most credits waiting to be stored before {@link #creditAsync} fails with
     * RESOURCE_EXHAUSTED. Default 65536.
     *
     * @param credits in [1, 10000000]
     * @return this
     */
    public Builder queueCapacity(int credits) {
      Checks.range("queueCapacity", credits, 1, 10_000_000);
      set.mark("queueCapacity");
      this.queueCapacity = credits;
      return this;
    }

    /**
     * Builds the ledger, reading the open epoch from the store.
     *
     * @return the ledger, which the caller closes
     * @throws PoolException INVALID_ARGUMENT if no store was set
     */
    public DefaultRewardLedger build() {
      Checks.notNull("store", store);
      return new DefaultRewardLedger(this);
    }
  }
}
