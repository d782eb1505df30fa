package io.poolforge.compute.api.ledger;

/**
 * Pays settlement batches on one blockchain. The coordinator drives the state machine (see {@link
 * SettlementState}) and persists every step; the chain signs, sends and reports.
 *
 * <p>Implementations are thread-safe. Every method may block on network I/O; the coordinator calls
 * them from virtual threads.
 *
 * @since 0.1.0
 */
public interface SettlementChain extends AutoCloseable {
  /**
   * The chain's id, such as "evm:31337"; part of every batch's idempotency key.
   *
   * @return the id
   */
  String id();

  /**
   * The most payouts this chain takes in one batch; the settler splits larger epochs. Default
   * {@link SettlementBatch#MAX_PAYOUTS}.
   *
   * @return a limit in [1, SettlementBatch.MAX_PAYOUTS]
   * @since 0.1.0
   */
  default int maxPayoutsPerBatch() {
    return SettlementBatch.MAX_PAYOUTS;
  }

  /**
   * Builds and signs the transaction for a batch, assigning it a nonce or sequence number. Sends
   * nothing. The result is stored by the caller before {@link #send}.
   *
   * @param batch the batch
   * @return the signed transaction
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT for payouts the chain cannot
   *     express; UNAVAILABLE if the chain cannot be reached to pick a nonce or fee
   */
  SignedSettlement sign(SettlementBatch batch);

  /**
   * Sends the signed bytes, or sends them again. Idempotent: sending bytes the chain already has is
   * not an error.
   *
   * @param signed a settlement from {@link #sign}
   * @return SUBMITTED, or a later state if the chain already knows more
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE on a network failure (the caller
   *     resends the same bytes later); CHAIN_REJECTED with the chain's reason
   */
  SettlementReceipt send(SignedSettlement signed);

  /**
   * Asks the chain what became of a settlement. REQUEUED only when the transaction provably can
   * never be included. SIGNED when the chain has never seen the transaction (or dropped it) and it
   * can still be included: the caller then sends the same bytes again.
   *
   * @param signed the settlement
   * @return its state on the chain
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE on a network failure
   */
  SettlementReceipt status(SignedSettlement signed);

  /** Releases connections. Idempotent. */
  @Override
  void close();
}
