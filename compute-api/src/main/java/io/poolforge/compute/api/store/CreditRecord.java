package io.poolforge.compute.api.store;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.internal.Checks;
import java.math.BigInteger;
import java.time.Instant;

/**
 * One credit for one verified task.
 *
 * <p>Immutable and thread-safe.
 *
 * @param task the task; a ledger holds at most one credit per task
 * @param worker the worker credited
 * @param payoutAddress where it is paid
 * @param epoch the epoch it belongs to
 * @param amount the credit, &gt; 0
 * @param at when it was credited
 * @since 0.1.0
 */
public record CreditRecord(
    TaskId task, WorkerId worker, String payoutAddress, long epoch, BigInteger amount, Instant at) {
  /** Validates the fields. */
  public CreditRecord {
    Checks.notNull("task", task);
    Checks.notNull("worker", worker);
    Checks.notBlank("payoutAddress", payoutAddress, 128);
    Checks.nonNegative("epoch", epoch);
    Checks.notNull("amount", amount);
    if (amount.signum() <= 0 || amount.bitLength() > 255) {
      throw PoolException.invalidArgument("amount", "is " + amount + ", must be in (0, 2^255)");
    }
    Checks.notNull("at", at);
  }
}
