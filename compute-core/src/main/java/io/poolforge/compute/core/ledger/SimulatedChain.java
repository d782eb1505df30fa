package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory blockchain for tests and the demo; it is not a real chain and pays nothing. It
 * behaves like an account-nonce chain with a payout contract that records each batch's idempotency
 * key: {@link #sign} picks the next free nonce and seals the transaction with an HMAC-SHA256 (a
 * stand-in for a signature, keyed by a random per-instance secret); {@link #send} puts it in a
 * mempool, and with auto-mining (the default) a block is mined at once. A block includes
 * transactions in nonce order; a transaction whose nonce was used by another one is dead
 * (REQUEUED), and a batch whose key was already paid reverts. Payee balances are kept per address.
 *
 * <p>Failures can be injected through {@link #faults()}: sends that fail before or after reaching
 * the chain, sends that are silently dropped, lost status answers, a nonce taken by another
 * transaction, and reverts.
 *
 * <p>Thread-safe (one monitor); never blocks.
 *
 * @since 0.1.0
 */
public final class SimulatedChain implements SettlementChain {
  private static final byte[] MAGIC = "SIMTX1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_LENGTH = 32;

  private final String id;
  private final boolean autoMine;
  private final int confirmations;
  private final byte[] secret = new byte[32];
  private final Faults faults = new Faults();

  private final Map<Bytes, Tx> mempool = new LinkedHashMap<>();
  private final Map<Bytes, Mined> mined = new HashMap<>();
  private final Map<Bytes, Bytes> paidKeys = new HashMap<>();
  private final Map<String, BigInteger> balances = new HashMap<>();
  private long accountNonce;
  private long blockNumber;
  private boolean closed;

  private record Tx(Bytes id, long nonce, SignedSettlement signed) {}

  private record Mined(long block, boolean success, @Nullable String reason) {}

  private SimulatedChain(String id, boolean autoMine, int confirmations) {
    this.id = id;
    this.autoMine = autoMine;
    this.confirmations = confirmations;
    new SecureRandom().nextBytes(secret);
  }

  /**
   * A chain with auto-mining and one confirmation.
   *
   * @param id the chain id, such as "sim:1"
   * @return the chain
   */
  public static SimulatedChain create(String id) {
    return create(id, true, 1);
  }

  /**
   * A chain.
   *
   * @param id the chain id
   * @param autoMine whether each accepted send mines a block at once; otherwise call {@link #mine}
   * @param confirmations how many blocks deep a transaction must be to be CONFIRMED, in [1, 64]
   * @return the chain
   */
  public static SimulatedChain create(String id, boolean autoMine, int confirmations) {
    Checks.notBlank("id", id, 64);
    Checks.range("confirmations", confirmations, 1, 64);
    return new SimulatedChain(id, autoMine, confirmations);
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * The failure injection controls.
   *
   * @return the faults of this chain
   */
  public Faults faults() {
    return faults;
  }

  @Override
  public synchronized SignedSettlement sign(SettlementBatch batch) {
    checkOpen();
    Checks.notNull("batch", batch);
    checkBatch(batch);
    long nonce = accountNonce;
    for (Tx t : mempool.values()) {
      nonce = Math.max(nonce, t.nonce() + 1);
    }
    byte[] bytes = encode(batch, nonce);
    Bytes txId = Bytes.wrap(sha256(bytes));
    return new SignedSettlement(batch, txId, Bytes.wrap(bytes));
  }

  @Override
  public synchronized SettlementReceipt send(SignedSettlement signed) {
    checkOpen();
    long nonce = verify(signed);
    if (faults.failSends > 0) {
      faults.failSends--;
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "chain " + id + ": send failed (simulated network failure)");
    }
    Bytes txId = signed.transactionId();
    if (mined.containsKey(txId)) {
      return receipt(signed);
    }
    if (!mempool.containsKey(txId)) {
      if (nonce < accountNonce) {
        return receipt(signed);
      }
      Bytes key = signed.batch().idempotencyKey();
      Bytes payer = paidKeys.get(key);
      if (payer != null && !payer.equals(txId)) {
        throw new PoolException(
            ErrorCode.CHAIN_REJECTED,
            "chain "
                + id
                + ": batch key "
                + key.toHex()
                + " was already paid by transaction "
                + payer.toHex());
      }
      if (faults.dropSends > 0) {
        faults.dropSends--;
        return new SettlementReceipt(key, SettlementState.SUBMITTED, txId, -1, null);
      }
      mempool.put(txId, new Tx(txId, nonce, signed));
      if (autoMine) {
        mine();
      }
    }
    if (faults.timeOutSends > 0) {
      faults.timeOutSends--;
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "chain " + id + ": send timed out (simulated, after delivery)");
    }
    return receipt(signed);
  }

  @Override
  public synchronized SettlementReceipt status(SignedSettlement signed) {
    checkOpen();
    verify(signed);
    if (faults.loseStatuses > 0) {
      faults.loseStatuses--;
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "chain " + id + ": status answer lost (simulated)");
    }
    return receipt(signed);
  }

  private SettlementReceipt receipt(SignedSettlement signed) {
    Bytes txId = signed.transactionId();
    Bytes key = signed.batch().idempotencyKey();
    Mined m = mined.get(txId);
    if (m != null) {
      if (!m.success()) {
        return new SettlementReceipt(key, SettlementState.REJECTED, txId, m.block(), m.reason());
      }
      SettlementState s =
          blockNumber - m.block() + 1 >= confirmations
              ? SettlementState.CONFIRMED
              : SettlementState.SUBMITTED;
      return new SettlementReceipt(key, s, txId, m.block(), null);
    }
    long nonce = nonceOf(signed.signedBytes());
    if (nonce < accountNonce) {
      mempool.remove(txId);
      return new SettlementReceipt(
          key,
          SettlementState.REQUEUED,
          txId,
          -1,
          "nonce " + nonce + " was taken by another transaction");
    }
    if (mempool.containsKey(txId)) {
      return new SettlementReceipt(key, SettlementState.SUBMITTED, txId, -1, null);
    }
    return new SettlementReceipt(key, SettlementState.SIGNED, txId, -1, "unknown to the chain");
  }

  /**
   * Mines one block: includes, in nonce order, every mempool transaction whose nonce is next.
   *
   * @return the new block number
   */
  public synchronized long mine() {
    checkOpen();
    blockNumber++;
    boolean progress = true;
    while (progress) {
      progress = false;
      Iterator<Tx> it = mempool.values().iterator();
      while (it.hasNext()) {
        Tx t = it.next();
        if (t.nonce() < accountNonce) {
          it.remove(); // dead: its nonce was used
        } else if (t.nonce() == accountNonce) {
          it.remove();
          execute(t);
          progress = true;
          break;
        }
      }
    }
    return blockNumber;
  }

  private void execute(Tx t) {
    accountNonce++;
    SettlementBatch b = t.signed().batch();
    String revert = faults.reverts.poll();
    if (revert == null && paidKeys.containsKey(b.idempotencyKey())) {
      revert = "batch key " + b.idempotencyKey().toHex() + " already paid";
    }
    if (revert != null) {
      mined.put(t.id(), new Mined(blockNumber, false, "reverted: " + revert));
      return;
    }
    for (Payout p : b.payouts()) {
      balances.merge(p.address().toLowerCase(java.util.Locale.ROOT), p.amount(), BigInteger::add);
    }
    paidKeys.put(b.idempotencyKey(), t.id());
    mined.put(t.id(), new Mined(blockNumber, true, null));
  }

  /**
   * A payee's balance: everything paid to it on this chain.
   *
   * @param address the payee, any case
   * @return the balance
   */
  public synchronized BigInteger balanceOf(String address) {
    Checks.notNull("address", address);
    return balances.getOrDefault(address.toLowerCase(java.util.Locale.ROOT), BigInteger.ZERO);
  }

  /**
   * How many batches were paid (transactions executed without revert).
   *
   * @return the count
   */
  public synchronized int paidBatches() {
    return paidKeys.size();
  }

  /**
   * The latest block's number, 0 before the first.
   *
   * @return the block number
   */
  public synchronized long blockNumber() {
    return blockNumber;
  }

  private void checkBatch(SettlementBatch batch) {
    if (!batch.chain().equals(id)) {
      throw PoolException.invalidArgument(
          "batch.chain", "is " + batch.chain() + ", this chain is " + id);
    }
    List<Payout> payouts = batch.payouts();
    if (payouts.isEmpty()) {
      throw PoolException.invalidArgument("batch.payouts", "must not be empty");
    }
    for (int i = 0; i < payouts.size(); i++) {
      Payout p = payouts.get(i);
      EvmAddress.canonical("batch.payouts[" + i + "].address", p.address());
      if (p.amount().signum() <= 0) {
        throw PoolException.invalidArgument(
            "batch.payouts[" + i + "].amount", "is " + p.amount() + ", must be > 0");
      }
    }
  }

  /** Checks the signed bytes belong to this chain and to the batch; returns their nonce. */
  private long verify(SignedSettlement signed) {
    Checks.notNull("signed", signed);
    checkBatch(signed.batch());
    byte[] bytes = signed.signedBytes().toByteArray();
    long nonce;
    try {
      nonce = nonceOf(signed.signedBytes());
    } catch (RuntimeException e) {
      throw PoolException.invalidArgument("signed.signedBytes", "are not a transaction of " + id);
    }
    if (!Arrays.equals(bytes, encode(signed.batch(), nonce))) {
      throw PoolException.invalidArgument(
          "signed.signedBytes", "are not this chain's signature over the batch");
    }
    if (!signed.transactionId().equals(Bytes.wrap(sha256(bytes)))) {
      throw PoolException.invalidArgument(
          "signed.transactionId", "is not the hash of the signed bytes");
    }
    return nonce;
  }

  private static long nonceOf(Bytes signedBytes) {
    ByteBuffer buf = signedBytes.asReadOnlyBuffer();
    byte[] magic = new byte[MAGIC.length];
    buf.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException("bad magic");
    }
    return buf.getLong();
  }

  private byte[] encode(SettlementBatch batch, long nonce) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(body);
      out.write(MAGIC);
      out.writeLong(nonce);
      out.writeUTF(id);
      out.write(batch.idempotencyKey().toByteArray());
      out.writeInt(batch.payouts().size());
      for (Payout p : batch.payouts()) {
        out.writeUTF(p.address());
        byte[] amount = p.amount().toByteArray();
        out.writeInt(amount.length);
        out.write(amount);
      }
      out.flush();
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] tag = mac.doFinal(body.toByteArray());
      out.write(tag, 0, MAC_LENGTH);
      out.flush();
      return body.toByteArray();
    } catch (IOException | GeneralSecurityException e) {
      throw new PoolException(ErrorCode.INTERNAL, "chain " + id + ": encoding failed", e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "chain " + id + ": is closed");
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /**
   * Failure injection for a {@link SimulatedChain}. Each call arms faults for the next operations.
   *
   * <p>Thread-safe (guarded by the chain's monitor).
   *
   * @since 0.1.0
   */
  public final class Faults {
    private int failSends;
    private int timeOutSends;
    private int dropSends;
    private int loseStatuses;
    private final Deque<String> reverts = new ArrayDeque<>();

    private Faults() {}

    /**
     * The next {@code n} sends fail with UNAVAILABLE before reaching the chain.
     *
     * @param n how many
     * @return this
     */
    public Faults failNextSends(int n) {
      synchronized (SimulatedChain.this) {
        failSends += Checks.range("n", n, 0, 1_000_000);
      }
      return this;
    }

    /**
     * The next {@code n} sends reach the chain (and are mined if auto-mining) but then fail with
     * UNAVAILABLE, as a timed-out request would.
     *
     * @param n how many
     * @return this
     */
    public Faults timeOutNextSends(int n) {
      synchronized (SimulatedChain.this) {
        timeOutSends += Checks.range("n", n, 0, 1_000_000);
      }
      return this;
    }

    /**
     * The next {@code n} new transactions are answered SUBMITTED but silently dropped: the chain
     * never sees them, and {@link SimulatedChain#status} answers SIGNED.
     *
     * @param n how many
     * @return this
     */
    public Faults dropNextSends(int n) {
      synchronized (SimulatedChain.this) {
        dropSends += Checks.range("n", n, 0, 1_000_000);
      }
      return this;
    }

    /**
     * The next {@code n} status questions fail with UNAVAILABLE (a lost confirmation).
     *
     * @param n how many
     * @return this
     */
    public Faults loseNextStatuses(int n) {
      synchronized (SimulatedChain.this) {
        loseStatuses += Checks.range("n", n, 0, 1_000_000);
      }
      return this;
    }

    /**
     * Another transaction from the same account is mined now and takes the next nonce, so a signed
     * transaction waiting for that nonce can never land.
     *
     * @return this
     */
    public Faults takeNextNonce() {
      synchronized (SimulatedChain.this) {
        blockNumber++;
        accountNonce++;
      }
      return this;
    }

    /**
     * The next batch executed reverts with {@code reason}, consuming its nonce and paying nothing.
     *
     * @param reason the revert reason
     * @return this
     */
    public Faults revertNext(String reason) {
      Checks.notBlank("reason", reason, 256);
      synchronized (SimulatedChain.this) {
        reverts.add(reason);
      }
      return this;
    }
  }
}
