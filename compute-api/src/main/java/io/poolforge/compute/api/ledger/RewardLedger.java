package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Credits verified work and closes epochs. Each task is credited at most once, whatever happens to
 * its results (reassignment, late results, retries, restarts).
 *
 * <p>Implementations are thread-safe. Methods may block on the ledger store.
 *
 * @since 0.1.0
 */
public interface RewardLedger {
  /**
   * Refuses a payout address this ledger could never credit, so that a pool can turn such a worker
   * away when it registers instead of accepting work it cannot pay for. The default accepts every
   * address.
   *
   * @param payoutAddress the address a worker registers with
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT naming {@code
   *     worker.payoutAddress} if this ledger cannot pay it
   */
  default void checkPayoutAddress(String payoutAddress) {}

  /**
   * Credits a worker for a verified task, once.
   *
   * @param task the task
   * @param worker the worker whose result was accepted
   * @param payoutAddress where the worker is paid
   * @param amount the credit, &gt; 0
   * @return true if credited now, false if the task had already been credited
   */
  boolean credit(TaskId task, WorkerId worker, String payoutAddress, BigInteger amount);

  /**
   * Credits a worker for a verified task, once, without waiting for the store: implementations may
   * group many credits into one store transaction. The same exactly-once rule as {@link #credit}
   * holds; the future completes once the credit is durable (true) or known to be a duplicate
   * (false), or exceptionally with a {@link io.poolforge.compute.api.PoolException}.
   *
   * <p>The default runs {@link #credit} in the calling thread.
   *
   * @param task the task
   * @param worker the worker whose result was accepted
   * @param payoutAddress where the worker is paid
   * @param amount the credit, &gt; 0
   * @return whether it was credited now
   * @since 0.1.0
   */
  default CompletableFuture<Boolean> creditAsync(
      TaskId task, WorkerId worker, String payoutAddress, BigInteger amount) {
    try {
      return CompletableFuture.completedFuture(credit(task, worker, payoutAddress, amount));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Forfeits a worker's credits of the current epoch that are not yet in a closed statement
   * (off-chain slashing).
   *
   * @param worker the worker
   * @param reason why, for the record
   * @return the amount forfeited
   */
  BigInteger forfeit(WorkerId worker, String reason);

  /**
   * The open epoch's number.
   *
   * @return the epoch, from 0
   */
  long currentEpoch();

  /**
   * Closes the open epoch: freezes cumulative amounts per payout address and builds the Merkle tree
   * and proofs.
   *
   * @return the statement
   */
  EpochStatement closeEpoch();

  /**
   * A closed epoch's statement.
   *
   * @param epoch the epoch
   * @return the statement, or empty if not closed
   */
  Optional<EpochStatement> statement(long epoch);

  /**
   * Cumulative credited amounts per payout address, including the open epoch.
   *
   * @return a snapshot
   */
  Map<String, BigInteger> totals();
}
