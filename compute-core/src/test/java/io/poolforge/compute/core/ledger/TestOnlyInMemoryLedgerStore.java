package io.poolforge.compute.core.ledger;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only, in-memory LedgerStore that follows the LedgerStore contract (one credit per task,
 * forfeits only in the open epoch, CONFIRMED records final, signed bytes change only through
 * REQUEUED). It also counts credit transactions so tests can see group commit. Not durable: a
 * "restart" in these tests is a new ledger or settler over the same instance.
 */
final class TestOnlyInMemoryLedgerStore implements LedgerStore {
  private final Map<TaskId, CreditRecord> credits = new HashMap<>();
  private final Set<TaskId> forfeited = new HashSet<>();
  private final Map<Long, EpochStatement> statements = new HashMap<>();
  private final LinkedHashMap<Bytes, SettlementRecord> settlements = new LinkedHashMap<>();
  final AtomicInteger creditTransactions = new AtomicInteger();
  private long openEpoch;

  @Override
  public synchronized List<CreditRecord> credit(List<CreditRecord> batch) {
    creditTransactions.incrementAndGet();
    List<CreditRecord> added = new ArrayList<>();
    for (CreditRecord c : batch) {
      if (credits.putIfAbsent(c.task(), c) == null) {
        added.add(c);
      }
    }
    return added;
  }

  @Override
  public synchronized BigInteger forfeit(WorkerId worker, long epoch) {
    if (epoch != openEpoch) {
      throw new PoolException(ErrorCode.FAILED_PRECONDITION, "epoch " + epoch + " is not open");
    }
    BigInteger sum = BigInteger.ZERO;
    for (CreditRecord c : credits.values()) {
      if (c.worker().equals(worker) && c.epoch() == epoch && forfeited.add(c.task())) {
        sum = sum.add(c.amount());
      }
    }
    return sum;
  }

  @Override
  public synchronized Map<String, BigInteger> cumulativeTotals(long throughEpoch) {
    Map<String, BigInteger> out = new TreeMap<>();
    for (CreditRecord c : credits.values()) {
      if (c.epoch() <= throughEpoch && !forfeited.contains(c.task())) {
        out.merge(c.payoutAddress(), c.amount(), BigInteger::add);
      }
    }
    return out;
  }

  @Override
  public synchronized long openEpoch() {
    return openEpoch;
  }

  @Override
  public synchronized void closeEpoch(EpochStatement statement) {
    if (statement.epoch() != openEpoch) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "statement.epoch is " + statement.epoch() + ", open is " + openEpoch);
    }
    statements.put(statement.epoch(), statement);
    openEpoch++;
  }

  @Override
  public synchronized Optional<EpochStatement> statement(long epoch) {
    return Optional.ofNullable(statements.get(epoch));
  }

  @Override
  public synchronized void putSettlement(SettlementRecord record) {
    SettlementRecord old = settlements.get(record.batch().idempotencyKey());
    if (old != null) {
      if (old.state() == SettlementState.CONFIRMED) {
        throw new PoolException(ErrorCode.FAILED_PRECONDITION, "record is CONFIRMED");
      }
      if (old.signed() != null
          && !Objects.equals(old.signed(), record.signed())
          && old.state() != SettlementState.REQUEUED
          && record.state() != SettlementState.REQUEUED) {
        throw new PoolException(
            ErrorCode.FAILED_PRECONDITION, "signed bytes change outside REQUEUED");
      }
    }
    settlements.put(record.batch().idempotencyKey(), record);
  }

  @Override
  public synchronized Optional<SettlementRecord> settlement(Bytes idempotencyKey) {
    return Optional.ofNullable(settlements.get(idempotencyKey));
  }

  @Override
  public synchronized List<SettlementRecord> settlements(Set<SettlementState> states) {
    List<SettlementRecord> out = new ArrayList<>();
    for (SettlementRecord r : settlements.values()) {
      if (states.contains(r.state())) {
        out.add(r);
      }
    }
    return out;
  }

  synchronized List<SettlementRecord> allSettlements() {
    return List.copyOf(settlements.values());
  }

  @Override
  public void close() {}
}
