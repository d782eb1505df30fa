package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What a chain says about a signed settlement.
 *
 * <p>Immutable and thread-safe.
 *
 * @param idempotencyKey the batch's key
 * @param state SUBMITTED (known to the chain, not final), CONFIRMED, REQUEUED (provably dead) or
 *     REJECTED
 * @param transactionId the transaction's id
 * @param blockNumber the block that included it, or -1
 * @param detail the chain's reason for REJECTED or REQUEUED, or null
 * @since 0.1.0
 */
public record SettlementReceipt(
    Bytes idempotencyKey,
    SettlementState state,
    Bytes transactionId,
    long blockNumber,
    @Nullable String detail) {
  /** Validates the fields. */
  public SettlementReceipt {
    Checks.notNull("idempotencyKey", idempotencyKey);
    Checks.notNull("state", state);
    Checks.notNull("transactionId", transactionId);
    Checks.range("blockNumber", blockNumber, -1, Long.MAX_VALUE);
  }
}
