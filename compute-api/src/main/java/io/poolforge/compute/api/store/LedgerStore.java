package io.poolforge.compute.api.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.SettlementState;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of credits, epoch statements and settlement states.
 *
 * <p>Implementations are thread-safe; every method may block on I/O and is atomic.
 *
 * @since 0.1.0
 */
public interface LedgerStore extends AutoCloseable {
  /**
   * Stores credits whose task has no credit yet, in one transaction.
   *
   * @param credits the credits
   * @return those that were new and are now stored; a task already credited is skipped
   */
  List<CreditRecord> credit(List<CreditRecord> credits);

  /**
   * Marks a worker's credits of an epoch as forfeited; they no longer count in totals.
   *
   * @param worker the worker
   * @param epoch the open epoch
   * @return the amount forfeited now
   */
  BigInteger forfeit(WorkerId worker, long epoch);

  /**
   * Sums non-forfeited credits per payout address over every epoch up to and including {@code
   * throughEpoch}.
   *
   * @param throughEpoch the last epoch counted
   * @return the cumulative amount per address
   */
  Map<String, BigInteger> cumulativeTotals(long throughEpoch);

  /**
   * The open epoch: one past the last closed statement, 0 at first.
   *
   * @return the epoch
   */
  long openEpoch();

  /**
   * Stores a statement and opens the next epoch, atomically.
   *
   * @param statement the statement of the open epoch
   * @throws io.poolforge.compute.api.PoolException FAILED_PRECONDITION if its epoch is not the open
   *     one
   */
  void closeEpoch(EpochStatement statement);

  /**
   * A closed epoch's statement.
   *
   * @param epoch the epoch
   * @return the statement, or empty
   */
  Optional<EpochStatement> statement(long epoch);

  /**
   * Inserts or replaces the record of a settlement batch, keyed by its idempotency key. A record
   * that is CONFIRMED is never replaced.
   *
   * @param record the record
   * @throws io.poolforge.compute.api.PoolException FAILED_PRECONDITION when replacing a CONFIRMED
   *     record, or when the stored signed bytes would change outside REQUEUED
   */
  void putSettlement(SettlementRecord record);

  /**
   * One settlement record.
   *
   * @param idempotencyKey the key
   * @return the record, or empty
   */
  Optional<SettlementRecord> settlement(Bytes idempotencyKey);

  /**
   * Settlement records in the given states, oldest first.
   *
   * @param states the states
   * @return the records
   */
  List<SettlementRecord> settlements(Set<SettlementState> states);

  /** Releases resources. Idempotent. */
  @Override
  void close();
}
