package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * One batch of payouts for one chain in one epoch. Its idempotency key is {@code SHA-256(epoch,
 * chain, batchIndex)}; a chain must never pay two batches with the same key.
 *
 * <p>Immutable and thread-safe.
 *
 * @param idempotencyKey the 32-byte key, see {@link #keyOf}
 * @param epoch the epoch it settles
 * @param chain the chain id, such as "evm:31337"
 * @param batchIndex its index among the epoch's batches for that chain, from 0
 * @param payouts the amounts to pay now (the difference since the last confirmed payout)
 * @param merkleRoot the epoch statement's root, for chains that settle by claims
 * @since 0.1.0
 */
public record SettlementBatch(
    Bytes idempotencyKey,
    long epoch,
    String chain,
    int batchIndex,
    List<Payout> payouts,
    Bytes merkleRoot) {
  /** The most payouts in one batch. */
  public static final int MAX_PAYOUTS = 10_000;

  /** Validates and copies the fields; the key must match the other fields. */
  public SettlementBatch {
    Checks.nonNegative("epoch", epoch);
    Checks.notBlank("chain", chain, 64);
    Checks.range("batchIndex", batchIndex, 0, Integer.MAX_VALUE);
    payouts = List.copyOf(Checks.size("payouts", payouts, MAX_PAYOUTS));
    Checks.notNull("merkleRoot", merkleRoot);
    Checks.notNull("idempotencyKey", idempotencyKey);
    if (!idempotencyKey.equals(keyOf(epoch, chain, batchIndex))) {
      throw PoolException.invalidArgument(
          "idempotencyKey", "does not equal SHA-256(epoch, chain, batchIndex)");
    }
  }

  /**
   * Creates a batch with its key computed.
   *
   * @param epoch the epoch
   * @param chain the chain id
   * @param batchIndex the index
   * @param payouts the payouts
   * @param merkleRoot the statement's root
   * @return the batch
   */
  public static SettlementBatch of(
      long epoch, String chain, int batchIndex, List<Payout> payouts, Bytes merkleRoot) {
    return new SettlementBatch(
        keyOf(epoch, chain, batchIndex), epoch, chain, batchIndex, payouts, merkleRoot);
  }

  /**
   * The idempotency key: SHA-256 over the big-endian epoch (8 bytes), the chain id's UTF-8 length
   * (4 bytes) and bytes, and the big-endian batch index (4 bytes).
   *
   * @param epoch the epoch
   * @param chain the chain id
   * @param batchIndex the index
   * @return the 32-byte key
   */
  public static Bytes keyOf(long epoch, String chain, int batchIndex) {
    byte[] c = chain.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + 4 + c.length + 4);
    buf.putLong(epoch).putInt(c.length).put(c).putInt(batchIndex);
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(buf.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
