package io.poolforge.compute.api.ledger;

/**
 * The life of one settlement batch. The normal path is PENDING, SIGNED, SUBMITTED, CONFIRMED. A
 * batch whose transaction is provably dead (its nonce was taken by another transaction) is REQUEUED
 * and signed anew; one the chain refuses is REJECTED and reported.
 *
 * @since 0.1.0
 */
public enum SettlementState {
  /** Built from an epoch statement, not yet signed. */
  PENDING,
  /** Signed; the signed bytes are stored and are the only bytes ever sent. */
  SIGNED,
  /** Sent at least once; waiting for confirmation. */
  SUBMITTED,
  /** Included and final on the chain. */
  CONFIRMED,
  /** The old transaction can never land; the batch will be signed again. */
  REQUEUED,
  /** The chain refused it (for example a revert); needs an operator. */
  REJECTED;

  /**
   * Whether the batch will not change state without an operator.
   *
   * @return true for CONFIRMED and REJECTED
   */
  public boolean isTerminal() {
    return this == CONFIRMED || this == REJECTED;
  }
}
