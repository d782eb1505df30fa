package io.poolforge.compute.api.store;

import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The stored state of one settlement batch.
 *
 * <p>Immutable and thread-safe.
 *
 * @param batch the batch; its idempotency key is the record's key
 * @param state its state
 * @param signed the signed transaction, present from SIGNED on
 * @param sends how many times the signed bytes were sent
 * @param updatedAt when it last changed
 * @param detail a transaction hash or the chain's reason, if any
 * @since 0.1.0
 */
public record SettlementRecord(
    SettlementBatch batch,
    SettlementState state,
    @Nullable SignedSettlement signed,
    int sends,
    Instant updatedAt,
    @Nullable String detail) {
  /** Validates the fields. */
  public SettlementRecord {
    Checks.notNull("batch", batch);
    Checks.notNull("state", state);
    if (signed == null && state != SettlementState.PENDING && state != SettlementState.REQUEUED) {
      throw io.poolforge.compute.api.PoolException.invalidArgument(
          "signed", "must be present in state " + state);
    }
    Checks.range("sends", sends, 0, Integer.MAX_VALUE);
    Checks.notNull("updatedAt", updatedAt);
  }
}
