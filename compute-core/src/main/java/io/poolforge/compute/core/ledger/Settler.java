package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import io.poolforge.compute.api.store.LedgerStore;
import io.poolforge.compute.api.store.SettlementRecord;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles closed epochs on every configured {@link SettlementChain}, at most once and without
 * dropping anything, across failures and restarts.
 *
 * <p>For each chain, when nothing of that chain is in flight, the settler takes the latest closed
 * epoch it has not planned and builds its batches: each payout is the address's cumulative amount
 * in the statement minus what batches of that chain have already CONFIRMED for it (payouts of
 * REJECTED batches are therefore carried into the next plan, and skipped epochs are covered by the
 * later cumulative amounts). Batches are split at the smaller of the settler's and the chain's
 * {@link SettlementChain#maxPayoutsPerBatch}, keyed by {@link SettlementBatch#keyOf}, and stored
 * PENDING, batch 0 last: a plan counts as complete once batch 0 is stored, and only complete plans
 * are acted on. Because a plan is made only when every earlier batch of its chain is final,
 * planning the same epoch again after a crash gives the same batches.
 *
 * <p>Each batch then goes PENDING → SIGNED (the signed bytes are stored before the first send) →
 * SUBMITTED (sent at least once; only the stored bytes are ever sent again, when the chain says it
 * does not know the transaction) → CONFIRMED; or REQUEUED when the chain proves the old transaction
 * can never land (then signed anew); or REJECTED with the chain's reason. Every change is stored
 * first and then reported as a {@link PoolEvent.SettlementChanged}. A new settler over the same
 * store resumes from the stored records.
 *
 * <p>Thread-safe: passes are serialized. {@link #runOnce} blocks on the store and on chain I/O;
 * {@link #onEvent} does not block.
 *
 * @since 0.1.0
 */
public final class Settler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Settler.class);
  private static final Set<SettlementState> ACTIVE =
      EnumSet.of(
          SettlementState.PENDING,
          SettlementState.SIGNED,
          SettlementState.SUBMITTED,
          SettlementState.REQUEUED);

  private final LedgerStore store;
  private final List<SettlementChain> chains;
  private final Clock clock;
  private final Consumer<? super PoolEvent> listener;
  private final Executor executor;
  private final int maxPayoutsPerBatch;
  private final ReentrantLock passLock = new ReentrantLock();
  private final Map<String, ChainState> states = new HashMap<>();
  private volatile boolean closed;

  private Settler(Builder b) {
    this.store = b.store;
    this.chains = List.copyOf(b.chains);
    this.clock = b.clock;
    this.listener = b.listener;
    this.executor =
        b.executor != null ? b.executor : r -> Thread.ofVirtual().name("settler").start(r);
    this.maxPayoutsPerBatch = b.maxPayoutsPerBatch;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One pass over every chain: advances each batch in flight as far as it goes now, and plans the
   * latest closed epoch for a chain with nothing in flight. A chain that fails (unreachable store
   * or chain) is logged and retried at the next pass; the other chains go on.
   *
   * <p>Blocks on the store and on chain I/O.
   *
   * @throws PoolException FAILED_PRECONDITION if the settler is closed
   */
  public void runOnce() {
    if (closed) {
      throw new PoolException(ErrorCode.FAILED_PRECONDITION, "settler: is closed");
    }
    passLock.lock();
    try {
      for (SettlementChain chain : chains) {
        try {
          pass(chain);
        } catch (RuntimeException e) {
          log.warn("settlement pass for chain {} failed; will retry", chain.id(), e);
        }
      }
    } finally {
      passLock.unlock();
    }
  }

  /**
   * Hook for the ledger's or pool's event stream: on {@link PoolEvent.EpochClosed} it starts a pass
   * on the settler's executor. Other events are ignored.
   *
   * @param event an event
   */
  public void onEvent(PoolEvent event) {
    if (event instanceof PoolEvent.EpochClosed && !closed) {
      try {
        executor.execute(
            () -> {
              try {
                runOnce();
              } catch (RuntimeException e) {
                log.warn("settlement pass after {} failed", event, e);
              }
            });
      } catch (RejectedExecutionException e) {
        log.warn("settler executor refused a pass after {}", event, e);
      }
    }
  }

  /**
   * Runs {@link #runOnce} every {@code every} on {@code scheduler}.
   *
   * @param scheduler runs the passes; they block on I/O
   * @param every the delay between passes, &gt; 0
   * @return the schedule, to cancel
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration every) {
    Checks.notNull("scheduler", scheduler);
    Checks.positive("every", every);
    long nanos = every.toNanos();
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            if (!closed) {
              runOnce();
            }
          } catch (RuntimeException e) {
            log.warn("scheduled settlement pass failed", e);
          }
        },
        nanos,
        nanos,
        TimeUnit.NANOSECONDS);
  }

  /**
   * The stored records of one chain that are not final yet, oldest first.
   *
   * @param chainId a configured chain's id
   * @return the records
   */
  public List<SettlementRecord> inFlight(String chainId) {
    Checks.notNull("chainId", chainId);
    List<SettlementRecord> out = new ArrayList<>();
    for (SettlementRecord r : store.settlements(ACTIVE)) {
      if (r.batch().chain().equals(chainId)) {
        out.add(r);
      }
    }
    return out;
  }

  private void pass(SettlementChain chain) {
    ChainState state = states.get(chain.id());
    if (state == null) {
      state = loadState(chain.id());
      states.put(chain.id(), state);
    }
    if (advanceAll(chain, state)) {
      return; // still in flight
    }
    long latest = store.openEpoch() - 1;
    if (latest < state.nextEpoch) {
      return;
    }
    plan(chain, state, latest);
    state.nextEpoch = latest + 1;
    advanceAll(chain, state);
  }

  /** Advances every complete-plan record of the chain; returns true if any is still not final. */
  private boolean advanceAll(SettlementChain chain, ChainState state) {
    boolean inFlight = false;
    for (SettlementRecord r : store.settlements(ACTIVE)) {
      SettlementBatch b = r.batch();
      if (!b.chain().equals(chain.id()) || !planComplete(state, b)) {
        continue;
      }
      SettlementRecord after = advance(chain, state, r);
      inFlight |= !after.state().isTerminal();
    }
    return inFlight;
  }

  private boolean planComplete(ChainState state, SettlementBatch b) {
    if (b.batchIndex() == 0 || state.completeEpochs.contains(b.epoch())) {
      return true;
    }
    boolean complete = store.settlement(SettlementBatch.keyOf(b.epoch(), b.chain(), 0)).isPresent();
    if (complete) {
      state.completeEpochs.add(b.epoch());
    }
    return complete;
  }

  /** Drives one record until it must wait for the chain; returns its latest stored form. */
  private SettlementRecord advance(SettlementChain chain, ChainState state, SettlementRecord r) {
    for (int step = 0; step < 8; step++) {
      Step next;
      try {
        next = step(chain, r);
      } catch (PoolException e) {
        if (e.code() == ErrorCode.CHAIN_REJECTED && r.signed() != null) {
          next = go(put(r, SettlementState.REJECTED, r.signed(), r.sends(), e.getMessage()));
        } else {
          log.warn(
              "settlement {} on {} stays {}: {}",
              r.batch().idempotencyKey().toHex(),
              chain.id(),
              r.state(),
              e.getMessage());
          if (!e.retryable()) {
            emit(r, r.state(), e.getMessage());
          }
          return r;
        }
      }
      r = next.record();
      if (r.state() == SettlementState.CONFIRMED) {
        for (Payout p : r.batch().payouts()) {
          state.confirmed.merge(p.address(), p.amount(), BigInteger::add);
        }
      }
      if (next.waitForChain() || r.state().isTerminal()) {
        return r;
      }
    }
    return r;
  }

  /** The outcome of one transition: the latest record, and whether to wait for the next pass. */
  private record Step(SettlementRecord record, boolean waitForChain) {}

  private static Step go(SettlementRecord r) {
    return new Step(r, false);
  }

  private static Step waitFor(SettlementRecord r) {
    return new Step(r, true);
  }

  /** One transition. */
  private Step step(SettlementChain chain, SettlementRecord r) {
    SignedSettlement signed = r.signed();
    switch (r.state()) {
      case PENDING, REQUEUED -> {
        SignedSettlement fresh = chain.sign(r.batch());
        if (!fresh.batch().equals(r.batch())) {
          throw new PoolException(
              ErrorCode.INTERNAL, "chain " + chain.id() + ": signed a different batch than asked");
        }
        return go(put(r, SettlementState.SIGNED, fresh, 0, fresh.transactionId().toHex()));
      }
      case SIGNED -> {
        return send(chain, r, requireSigned(r, signed));
      }
      case SUBMITTED -> {
        SignedSettlement s = requireSigned(r, signed);
        SettlementReceipt receipt = chain.status(s);
        return switch (receipt.state()) {
          case SIGNED -> send(chain, r, s); // the chain does not know it: resend the same bytes
          case SUBMITTED, PENDING -> waitFor(r);
          default -> go(apply(r, receipt));
        };
      }
      default -> {
        return waitFor(r);
      }
    }
  }

  private Step send(SettlementChain chain, SettlementRecord r, SignedSettlement s) {
    SettlementReceipt receipt;
    try {
      receipt = chain.send(s);
    } catch (PoolException e) {
      if (e.code() == ErrorCode.CHAIN_REJECTED) {
        throw e;
      }
      // the bytes may have reached the chain: from now on we ask before sending again
      SettlementRecord sent =
          put(r, SettlementState.SUBMITTED, s, r.sends() + 1, "send failed: " + e.getMessage());
      log.warn("sending settlement {} failed: {}", s.transactionId().toHex(), e.getMessage());
      return waitFor(sent);
    }
    SettlementRecord sent =
        put(r, SettlementState.SUBMITTED, s, r.sends() + 1, s.transactionId().toHex());
    return switch (receipt.state()) {
      case CONFIRMED, REJECTED, REQUEUED -> go(apply(sent, receipt));
      default -> go(sent);
    };
  }

  private SettlementRecord apply(SettlementRecord r, SettlementReceipt receipt) {
    SettlementState s = receipt.state();
    String detail =
        switch (s) {
          case CONFIRMED ->
              receipt.transactionId().toHex()
                  + (receipt.blockNumber() >= 0 ? " in block " + receipt.blockNumber() : "");
          default -> receipt.detail() != null ? receipt.detail() : receipt.transactionId().toHex();
        };
    return put(r, s, r.signed(), r.sends(), detail);
  }

  private static SignedSettlement requireSigned(SettlementRecord r, @Nullable SignedSettlement s) {
    if (s == null) {
      throw new PoolException(
          ErrorCode.INTERNAL,
          "settlement "
              + r.batch().idempotencyKey().toHex()
              + " in "
              + r.state()
              + " has no bytes");
    }
    return s;
  }

  private SettlementRecord put(
      SettlementRecord r,
      SettlementState state,
      @Nullable SignedSettlement signed,
      int sends,
      @Nullable String detail) {
    SettlementRecord next =
        new SettlementRecord(r.batch(), state, signed, sends, clock.instant(), detail);
    store.putSettlement(next);
    if (state != r.state()) {
      emit(next, state, detail);
    }
    return next;
  }

  private void emit(SettlementRecord r, SettlementState state, @Nullable String detail) {
    PoolEvent e =
        new PoolEvent.SettlementChanged(
            clock.instant(), r.batch().chain(), r.batch().idempotencyKey(), state, detail);
    try {
      listener.accept(e);
    } catch (RuntimeException ex) {
      log.warn("settlement listener failed on {}", e, ex);
    }
  }

  private ChainState loadState(String chainId) {
    ChainState s = new ChainState();
    for (SettlementRecord r : store.settlements(EnumSet.of(SettlementState.CONFIRMED))) {
      if (r.batch().chain().equals(chainId)) {
        for (Payout p : r.batch().payouts()) {
          s.confirmed.merge(p.address(), p.amount(), BigInteger::add);
        }
      }
    }
    long open = store.openEpoch();
    for (long e = open - 1; e >= 0; e--) {
      if (store.settlement(SettlementBatch.keyOf(e, chainId, 0)).isPresent()) {
        s.nextEpoch = e + 1;
        break;
      }
    }
    return s;
  }

  private void plan(SettlementChain chain, ChainState state, long epoch) {
    Optional<EpochStatement> found = store.statement(epoch);
    if (found.isEmpty()) {
      throw new PoolException(
          ErrorCode.NOT_FOUND, "epoch: " + epoch + " is below the open epoch but has no statement");
    }
    EpochStatement statement = found.get();
    List<Payout> due = new ArrayList<>();
    for (Payout p : statement.entries()) {
      BigInteger paid = state.confirmed.getOrDefault(p.address(), BigInteger.ZERO);
      int cmp = p.amount().compareTo(paid);
      if (cmp > 0) {
        due.add(new Payout(p.address(), p.amount().subtract(paid)));
      } else if (cmp < 0) {
        log.warn(
            "{} on {}: confirmed {} exceeds cumulative {} of epoch {}",
            p.address(),
            chain.id(),
            paid,
            p.amount(),
            epoch);
      }
    }
    int limit = Math.max(1, Math.min(maxPayoutsPerBatch, chain.maxPayoutsPerBatch()));
    Map<Integer, SettlementBatch> batches = new LinkedHashMap<>();
    for (int i = 0, from = 0; from < due.size(); i++, from += limit) {
      List<Payout> part = due.subList(from, Math.min(due.size(), from + limit));
      batches.put(i, SettlementBatch.of(epoch, chain.id(), i, part, statement.merkleRoot()));
    }
    // batch 0 last: its presence marks the plan complete
    for (int i = batches.size() - 1; i >= 0; i--) {
      SettlementBatch b = batches.get(i);
      Optional<SettlementRecord> existing = store.settlement(b.idempotencyKey());
      if (existing.isPresent()) {
        if (!existing.get().batch().equals(b)) {
          throw new PoolException(
              ErrorCode.INTERNAL,
              "settlement "
                  + b.idempotencyKey().toHex()
                  + " is stored with other payouts than its plan");
        }
        continue;
      }
      SettlementRecord r =
          new SettlementRecord(b, SettlementState.PENDING, null, 0, clock.instant(), null);
      store.putSettlement(r);
      emit(r, SettlementState.PENDING, "epoch " + epoch + " batch " + i);
    }
    if (!batches.isEmpty()) {
      state.completeEpochs.add(epoch);
    }
  }

  /** Stops {@link #onEvent} and scheduled passes. Does not close the chains or the store. */
  @Override
  public void close() {
    closed = true;
  }

  /** What the settler keeps per chain between passes. Guarded by the pass lock. */
  private static final class ChainState {
    final Map<String, BigInteger> confirmed = new HashMap<>();
    final Set<Long> completeEpochs = new HashSet<>();
    long nextEpoch;
  }

  /**
   * Builds a {@link Settler}. Each setter checks its argument and may be called once.
   *
   * <p>Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private @Nullable LedgerStore store;
    private List<SettlementChain> chains = List.of();
    private Clock clock = Clock.systemUTC();
    private Consumer<? super PoolEvent> listener = e -> {};
    private @Nullable Executor executor;
    private int maxPayoutsPerBatch = SettlementBatch.MAX_PAYOUTS;

    private Builder() {}

    /**
     * The store with the statements and settlement records. Required.
     *
     * @param store the store; the settler does not close it
     * @return this
     */
    public Builder store(LedgerStore store) {
      Checks.notNull("store", store);
      set.mark("store");
      this.store = store;
      return this;
    }

    /**
     * The chains to settle on, each with a distinct id. Required, at least one.
     *
     * @param chains the chains; the settler does not close them
     * @return this
     */
    public Builder chains(List<SettlementChain> chains) {
      Checks.size("chains", chains, 64);
      if (chains.isEmpty()) {
        throw PoolException.invalidArgument("chains", "must name at least one chain");
      }
      Set<String> ids = new HashSet<>();
      for (SettlementChain c : chains) {
        if (!ids.add(c.id())) {
          throw PoolException.invalidArgument("chains", "repeat the chain id " + c.id());
        }
      }
      set.mark("chains");
      this.chains = List.copyOf(chains);
      return this;
    }

    /**
     * The clock for record times and events. Default: system UTC.
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
     * Receives {@link PoolEvent.SettlementChanged} after each stored change, on the passing thread.
     *
     * @param listener the listener; it must not block for long
     * @return this
     */
    public Builder listener(Consumer<? super PoolEvent> listener) {
      Checks.notNull("listener", listener);
      set.mark("listener");
      this.listener = listener;
      return this;
    }

    /**
     * Runs the passes that {@link #onEvent} starts. Default: a new virtual thread per pass.
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
     * The most payouts per batch. Default {@link SettlementBatch#MAX_PAYOUTS}.
     *
     * @param payouts in [1, SettlementBatch.MAX_PAYOUTS]
     * @return this
     */
    public Builder maxPayoutsPerBatch(int payouts) {
      Checks.range("maxPayoutsPerBatch", payouts, 1, SettlementBatch.MAX_PAYOUTS);
      set.mark("maxPayoutsPerBatch");
      this.maxPayoutsPerBatch = payouts;
      return this;
    }

    /**
     * Builds the settler; it reads the store on its first pass.
     *
     * @return the settler
     * @throws PoolException INVALID_ARGUMENT if the store or the chains are missing
     */
    public Settler build() {
      Checks.notNull("store", store);
      if (chains.isEmpty()) {
        throw PoolException.invalidArgument("chains", "must name at least one chain");
      }
      return new Settler(this);
    }
  }
}
