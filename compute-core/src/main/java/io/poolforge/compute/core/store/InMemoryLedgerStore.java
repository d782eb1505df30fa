package io.poolforge.compute.core.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.LedgerStore;
import io.poolforge.compute.api.store.SettlementRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link LedgerStore} held in memory: not durable, lost when the process ends.
 *
 * <p>Keeps every credit by task (so a task is credited at most once), running totals per epoch and
 * payout address (so {@link #cumulativeTotals} costs epochs times addresses, not credits), and the
 * credits of each worker per epoch (so {@link #forfeit} touches only that worker's credits).
 *
 * <p>Thread-safe: every method runs under one monitor and is atomic. Never blocks on I/O.
 *
 * @since 0.1.0
 */
public final class InMemoryLedgerStore implements LedgerStore {
  private static final String NAME = "InMemoryLedgerStore";

  private final Map<TaskId, CreditRecord> credits = new HashMap<>();
  private final Set<TaskId> forfeited = new HashSet<>();
  private final Map<WorkerId, Map<Long, List<TaskId>>> byWorkerEpoch = new HashMap<>();
  private final TreeMap<Long, Map<String, BigInteger>> totals = new TreeMap<>();
  private final Map<Long, EpochStatement> statements = new HashMap<>();
  // insertion order = age of the record: a replaced record keeps its place
  private final LinkedHashMap<Bytes, SettlementRecord> settlements = new LinkedHashMap<>();
  private long openEpoch;
  private boolean closed;

  /** Creates an empty ledger whose open epoch is 0. */
  public InMemoryLedgerStore() {}

  @Override
  public synchronized List<CreditRecord> credit(List<CreditRecord> batch) {
    StoreChecks.list("credits", batch);
    StoreChecks.open(closed, NAME);
    List<CreditRecord> added = new ArrayList<>();
    for (CreditRecord c : batch) {
      if (credits.putIfAbsent(c.task(), c) == null) {
        added.add(c);
        byWorkerEpoch
            .computeIfAbsent(c.worker(), w -> new HashMap<>())
            .computeIfAbsent(c.epoch(), e -> new ArrayList<>())
            .add(c.task());
        totals
            .computeIfAbsent(c.epoch(), e -> new HashMap<>())
            .merge(c.payoutAddress(), c.amount(), BigInteger::add);
      }
    }
    return List.copyOf(added);
  }

  @Override
  public synchronized BigInteger forfeit(WorkerId worker, long epoch) {
    StoreChecks.notNull("worker", worker);
    StoreChecks.open(closed, NAME);
    if (epoch != openEpoch) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "epoch: is " + epoch + ", only the open epoch " + openEpoch + " can be forfeited");
    }
    BigInteger sum = BigInteger.ZERO;
    List<TaskId> tasks =
        byWorkerEpoch.getOrDefault(worker, Map.of()).getOrDefault(epoch, List.of());
    for (TaskId t : tasks) {
      if (forfeited.add(t)) {
        CreditRecord c = credits.get(t);
        sum = sum.add(c.amount());
        Map<String, BigInteger> epochTotals = totals.get(epoch);
        BigInteger left = epochTotals.get(c.payoutAddress()).subtract(c.amount());
        if (left.signum() == 0) {
          epochTotals.remove(c.payoutAddress());
        } else {
          epochTotals.put(c.payoutAddress(), left);
        }
      }
    }
    return sum;
  }

  @Override
  public synchronized Map<String, BigInteger> cumulativeTotals(long throughEpoch) {
    StoreChecks.open(closed, NAME);
    // a hash map: an epoch close sums 100,000s of addresses, and callers sort what they need
    Map<String, BigInteger> sum = new HashMap<>();
    for (Map<String, BigInteger> epochTotals : totals.headMap(throughEpoch, true).values()) {
      epochTotals.forEach((address, amount) -> sum.merge(address, amount, BigInteger::add));
    }
    return sum;
  }

  @Override
  public synchronized long openEpoch() {
    StoreChecks.open(closed, NAME);
    return openEpoch;
  }

  @Override
  public synchronized void closeEpoch(EpochStatement statement) {
    StoreChecks.notNull("statement", statement);
    StoreChecks.open(closed, NAME);
    if (statement.epoch() != openEpoch) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "statement.epoch: is " + statement.epoch() + ", the open epoch is " + openEpoch);
    }
    statements.put(statement.epoch(), statement);
    openEpoch++;
  }

  @Override
  public synchronized Optional<EpochStatement> statement(long epoch) {
    StoreChecks.open(closed, NAME);
    return Optional.ofNullable(statements.get(epoch));
  }

  @Override
  public synchronized void putSettlement(SettlementRecord record) {
    StoreChecks.notNull("record", record);
    StoreChecks.open(closed, NAME);
    Bytes key = record.batch().idempotencyKey();
    SettlementRecord old = settlements.get(key);
    if (old != null) {
      checkReplace(old, record);
    }
    settlements.put(key, record);
  }

  /**
   * The rules for replacing a settlement record, shared with the durable stores' contract: a
   * CONFIRMED record is final, and signed bytes, once stored, change only through REQUEUED.
   */
  static void checkReplace(SettlementRecord old, SettlementRecord next) {
    if (old.state() == SettlementState.CONFIRMED) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "record: settlement "
              + old.batch().idempotencyKey().toHex()
              + " is CONFIRMED and is never replaced");
    }
    if (old.signed() != null
        && !Objects.equals(old.signed(), next.signed())
        && old.state() != SettlementState.REQUEUED
        && next.state() != SettlementState.REQUEUED) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "record.signed: the signed bytes of settlement "
              + old.batch().idempotencyKey().toHex()
              + " are stored in state "
              + old.state()
              + " and may change only through REQUEUED");
    }
  }

  @Override
  public synchronized Optional<SettlementRecord> settlement(Bytes idempotencyKey) {
    StoreChecks.notNull("idempotencyKey", idempotencyKey);
    StoreChecks.open(closed, NAME);
    return Optional.ofNullable(settlements.get(idempotencyKey));
  }

  @Override
  public synchronized List<SettlementRecord> settlements(Set<SettlementState> states) {
    StoreChecks.notNull("states", states);
    StoreChecks.open(closed, NAME);
    List<SettlementRecord> out = new ArrayList<>();
    for (SettlementRecord r : settlements.values()) {
      if (states.contains(r.state())) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
