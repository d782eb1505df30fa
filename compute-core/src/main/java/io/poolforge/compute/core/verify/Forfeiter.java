package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.RewardLedger;

/**
 * Takes away a quarantined worker's uncredited points for the open epoch. The usual one forwards to
 * {@link RewardLedger#forfeit}; see {@link #of(RewardLedger)}.
 *
 * <p>Implementations are thread-safe and may block (a ledger writes to its store), which is why
 * {@link CredibilityTracker} calls them on its notification executor.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Forfeiter {
  /** A forfeiter that does nothing, for pools without rewards. */
  Forfeiter NONE = (worker, reason) -> {};

  /**
   * Forfeits the worker's open-epoch credits.
   *
   * @param worker the quarantined worker
   * @param reason why, for the record
   */
  void forfeit(WorkerId worker, String reason);

  /**
   * A forfeiter backed by a reward ledger.
   *
   * @param ledger the ledger
   * @return a forfeiter calling {@link RewardLedger#forfeit}
   */
  static Forfeiter of(RewardLedger ledger) {
    Args.notNull("ledger", ledger);
    return (worker, reason) -> ledger.forfeit(worker, reason);
  }
}
