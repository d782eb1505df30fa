package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.internal.Checks;

/**
 * A settlement batch signed for one chain. The coordinator stores it before the first send and only
 * ever resends these exact bytes, so a resend can never pay twice.
 *
 * <p>Immutable and thread-safe.
 *
 * @param batch the batch
 * @param transactionId the chain's id of the transaction (such as its hash)
 * @param signedBytes the raw signed transaction
 * @since 0.1.0
 */
public record SignedSettlement(SettlementBatch batch, Bytes transactionId, Bytes signedBytes) {
  /** Validates the fields. */
  public SignedSettlement {
    Checks.notNull("batch", batch);
    Checks.notNull("transactionId", transactionId);
    Checks.notNull("signedBytes", signedBytes);
  }
}
