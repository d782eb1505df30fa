package io.poolforge.chain.evm;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Settles PoolForge epochs on an EVM chain through the bundled contracts: each {@link
 * SettlementBatch} becomes one EIP-1559 transaction, either {@code PoolPayouts.pay} (every payout
 * of the batch in one transaction, guarded on chain by a settlement id that can be paid only once)
 * or {@code PoolRewards.postRoot} (the epoch's Merkle root, which workers then claim against).
 *
 * <p>The coordinator stores what {@link #sign} returns before the first {@link #send} and only ever
 * resends those bytes; {@link #status} tells whether they landed, are pending, were reverted (with
 * the decoded revert reason) or can provably never land because their nonce was used by another
 * transaction (REQUEUED, the only case where a batch is signed again). Before signing, the call is
 * simulated, so a batch the contract would refuse (for example one already paid) fails fast with
 * {@link ErrorCode#CHAIN_REJECTED} and the contract's reason, and nothing is signed.
 *
 * <p>Thread-safe: any number of threads may sign, send and poll at once; nonces are handed out
 * under a lock. Every method except {@link #id} blocks on JSON-RPC I/O (run it on a virtual
 * thread).
 *
 * @since 0.1.0
 */
public final class EvmSettlementChain implements SettlementChain {

  private static final BigInteger GAS_HEADROOM_NUM = BigInteger.valueOf(5);
  private static final BigInteger GAS_HEADROOM_DEN = BigInteger.valueOf(4);
  private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

  private final EvmRpc rpc;
  private final Credentials credentials;
  private final long chainId;
  private final String id;
  private final @Nullable String payoutsContract;
  private final String token;
  private final @Nullable String rewardsContract;
  private final String namespace;
  private final int confirmations;
  private final @Nullable BigInteger maxFeePerGas;
  private final @Nullable BigInteger priorityFeePerGas;
  private final Duration pollInterval;
  private final Duration resendInterval;
  private final Clock clock;
  private final RevertDecoder reverts = RevertDecoder.forBundledContracts();

  // A lock, not a monitor: it is held across one RPC call, and a virtual thread blocked inside
  // `synchronized` pins its carrier thread on JDK 21.
  private final ReentrantLock nonceLock = new ReentrantLock();
  private BigInteger nextNonce = BigInteger.ZERO; // guarded by nonceLock
  private final AtomicBoolean chainChecked = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private EvmSettlementChain(Builder b) {
    this.rpc = new EvmRpc(b.service, b.endpoint);
    this.credentials = b.credentials;
    this.chainId = b.chainId;
    this.id = "evm:" + b.chainId;
    this.payoutsContract = b.payoutsContract;
    this.token = b.token == null ? ZERO_ADDRESS : b.token;
    this.rewardsContract = b.rewardsContract;
    this.namespace = b.namespace;
    this.confirmations = b.confirmations;
    this.maxFeePerGas = b.maxFeePerGas;
    this.priorityFeePerGas = b.priorityFeePerGas;
    this.pollInterval = b.pollInterval;
    this.resendInterval = b.resendInterval;
    this.clock = b.clock;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code "evm:<chainId>"}, for example {@code "evm:31337"}. Never blocks.
   *
   * @return the chain id
   */
  /** At most {@value SettlementCalls#MAX_RECIPIENTS}, so a batch of new recipients fits a block. */
  @Override
  public int maxPayoutsPerBatch() {
    return SettlementCalls.MAX_RECIPIENTS;
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * The payer's address, which signs every transaction (and, for ERC-20 payouts, must have approved
   * the PoolPayouts contract).
   *
   * @return the 0x-prefixed address
   */
  public String payerAddress() {
    return credentials.getAddress();
  }

  @Override
  public SignedSettlement sign(SettlementBatch batch) {
    requireArgument("batch", batch);
    ensureOpen();
    if (!batch.chain().equals(id)) {
      throw PoolException.invalidArgument(
          "batch.chain", "is \"" + batch.chain() + "\", this chain is \"" + id + "\"");
    }
    Call call = callFor(batch);
    checkChainId();
    String from = credentials.getAddress();

    // Simulate first: a batch the contract refuses fails here, with its reason, unsigned.
    EvmRpc.CallOutcome estimate =
        rpc.estimateGas(
            Transaction.createFunctionCallTransaction(
                from, null, null, null, call.to(), call.value(), call.data()));
    if (estimate.reverted()) {
      throw rejected(batch, "would revert: " + reason(estimate));
    }
    BigInteger gasLimit =
        Numeric.decodeQuantity(estimate.result())
            .multiply(GAS_HEADROOM_NUM)
            .divide(GAS_HEADROOM_DEN);

    String baseFeeHex = rpc.block(DefaultBlockParameterName.LATEST).getBaseFeePerGasRaw();
    if (baseFeeHex == null) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "chain "
              + id
              + " reports no baseFeePerGas: EvmSettlementChain sends EIP-1559"
              + " transactions and needs a London-or-later chain");
    }
    BigInteger baseFee = Numeric.decodeQuantity(baseFeeHex);
    BigInteger tip = priorityFeePerGas != null ? priorityFeePerGas : rpc.maxPriorityFeePerGas();
    BigInteger maxFee = baseFee.shiftLeft(1).add(tip); // survives a few blocks of base-fee growth
    if (maxFeePerGas != null && maxFee.compareTo(maxFeePerGas) > 0) {
      maxFee = maxFeePerGas;
    }
    if (tip.compareTo(maxFee) > 0) {
      tip = maxFee;
    }

    nonceLock.lock();
    try {
      BigInteger pending = rpc.nonce(from, DefaultBlockParameterName.PENDING);
      BigInteger nonce = pending.max(nextNonce);
      RawTransaction tx =
          RawTransaction.createTransaction(
              chainId, nonce, gasLimit, call.to(), call.value(), call.data(), tip, maxFee);
      byte[] raw = TransactionEncoder.signMessage(tx, credentials);
      nextNonce = nonce.add(BigInteger.ONE);
      return new SignedSettlement(batch, Bytes.wrap(Hash.sha3(raw)), Bytes.wrap(raw));
    } finally {
      nonceLock.unlock();
    }
  }

  @Override
  public SettlementReceipt send(SignedSettlement signed) {
    requireArgument("signed", signed);
    ensureOpen();
    checkSigned(signed);
    EvmRpc.SendOutcome outcome =
        rpc.sendRaw(Numeric.toHexString(signed.signedBytes().toByteArray()));
    if (!outcome.accepted()) {
      String error = String.valueOf(outcome.error());
      String lower = error.toLowerCase(Locale.ROOT);
      boolean alreadyThere =
          lower.contains("already known")
              || lower.contains("known transaction")
              || lower.contains("already imported")
              || lower.contains("nonce too low")
              || lower.contains("nonce has already been used");
      boolean feeTooLowNow =
          lower.contains("underpriced")
              || lower.contains("base fee")
              || lower.contains("fee too low");
      if (feeTooLowNow) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE,
            "settlement "
                + describe(signed.batch())
                + ": the node will not take the transaction at"
                + " its fee now ("
                + error
                + "); send the same bytes again later");
      }
      if (!alreadyThere) {
        throw rejected(signed.batch(), "node refused the transaction: " + error);
      }
    }
    SettlementReceipt receipt = status(signed);
    if (receipt.state() == SettlementState.SIGNED) {
      // Accepted moments ago; a node that load-balances may not show it yet.
      receipt =
          new SettlementReceipt(
              receipt.idempotencyKey(),
              SettlementState.SUBMITTED,
              receipt.transactionId(),
              -1,
              null);
    }
    if (receipt.state() == SettlementState.REJECTED) {
      throw rejected(signed.batch(), String.valueOf(receipt.detail()));
    }
    return receipt;
  }

  @Override
  public SettlementReceipt status(SignedSettlement signed) {
    requireArgument("signed", signed);
    ensureOpen();
    Sent tx = checkSigned(signed);
    String hash = Numeric.toHexString(signed.transactionId().toByteArray());
    Bytes key = signed.batch().idempotencyKey();

    var found = rpc.receipt(hash);
    if (found.isEmpty()) {
      BigInteger used = rpc.nonce(tx.from(), settledBlock());
      if (used.compareTo(tx.nonce()) > 0) {
        found = rpc.receipt(hash); // it may have landed between the two calls
        if (found.isEmpty()) {
          return new SettlementReceipt(
              key,
              SettlementState.REQUEUED,
              signed.transactionId(),
              -1,
              "nonce "
                  + tx.nonce()
                  + " of "
                  + tx.from()
                  + " was used by another transaction"
                  + " (account nonce is now "
                  + used
                  + ") and "
                  + hash
                  + " was never included; sign the batch again");
        }
      } else {
        boolean known = rpc.knowsTransaction(hash);
        return new SettlementReceipt(
            key,
            known ? SettlementState.SUBMITTED : SettlementState.SIGNED,
            signed.transactionId(),
            -1,
            known ? null : "the node does not have " + hash + "; send the same bytes again");
      }
    }
    TransactionReceipt receipt = found.orElseThrow();
    long block = receipt.getBlockNumber().longValueExact();
    if (!receipt.isStatusOK()) {
      return new SettlementReceipt(
          key, SettlementState.REJECTED, signed.transactionId(), block, revertReason(tx, receipt));
    }
    long latest = rpc.block(DefaultBlockParameterName.LATEST).getNumber().longValueExact();
    long depth = latest - block + 1;
    if (depth < confirmations) {
      return new SettlementReceipt(
          key,
          SettlementState.SUBMITTED,
          signed.transactionId(),
          block,
          depth + " of " + confirmations + " confirmations");
    }
    return new SettlementReceipt(
        key,
        SettlementState.CONFIRMED,
        signed.transactionId(),
        block,
        "gasUsed=" + receipt.getGasUsed());
  }

  /**
   * Drives one signed settlement until it is final: polls {@link #status}, sends the same bytes
   * when the node does not have them and again every resend interval while they are not included.
   * Network failures are retried until the deadline. Blocks the calling thread.
   *
   * @param signed a settlement from {@link #sign}, already stored by the caller
   * @param timeout how long to wait at most
   * @return the CONFIRMED receipt, or the REQUEUED one (then sign the batch again)
   * @throws PoolException CHAIN_REJECTED with the revert reason; DEADLINE_EXCEEDED if not final in
   *     time (the bytes may still land: keep them and call again)
   */
  public SettlementReceipt awaitFinal(SignedSettlement signed, Duration timeout) {
    requireArgument("signed", signed);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw PoolException.invalidArgument("timeout", "is " + timeout + ", must be positive");
    }
    Instant deadline = clock.instant().plus(timeout);
    Instant lastSend = Instant.MIN;
    PoolException lastFailure = null;
    while (true) {
      try {
        SettlementReceipt receipt = status(signed);
        switch (receipt.state()) {
          case CONFIRMED, REQUEUED -> {
            return receipt;
          }
          case REJECTED -> throw rejected(signed.batch(), String.valueOf(receipt.detail()));
          case SIGNED -> {
            lastSend = clock.instant();
            send(signed);
          }
          default -> {
            if (receipt.blockNumber() < 0
                && Duration.between(lastSend, clock.instant()).compareTo(resendInterval) >= 0) {
              lastSend = clock.instant();
              send(signed);
            }
          }
        }
      } catch (PoolException e) {
        if (!e.retryable()) {
          throw e;
        }
        lastFailure = e;
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new PoolException(
            ErrorCode.DEADLINE_EXCEEDED,
            "settlement "
                + describe(signed.batch())
                + " (tx "
                + Numeric.toHexString(signed.transactionId().toByteArray())
                + ") is not final after "
                + timeout
                + "; keep the signed bytes and call again"
                + (lastFailure == null ? "" : "; last failure: " + lastFailure.getMessage()),
            lastFailure);
      }
      sleep(pollInterval);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      rpc.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private record Call(String to, BigInteger value, String data) {}

  private Call callFor(SettlementBatch batch) {
    if (payoutsContract != null) {
      List<Uint256> words = SettlementCalls.packPayouts(batch.payouts());
      BigInteger total = BigInteger.ZERO;
      for (Payout p : batch.payouts()) {
        total = total.add(p.amount());
      }
      boolean nativeCoin = token.equals(ZERO_ADDRESS);
      String data =
          SettlementCalls.payCall(SettlementCalls.onChainId(namespace, batch), token, words);
      return new Call(payoutsContract, nativeCoin ? total : BigInteger.ZERO, data);
    }
    return new Call(
        Objects.requireNonNull(rewardsContract),
        BigInteger.ZERO,
        SettlementCalls.postRootCall(batch));
  }

  private void checkChainId() {
    if (chainChecked.get()) {
      return;
    }
    long actual = rpc.chainId();
    if (actual != chainId) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "chainId",
          "chainId: the node answers eth_chainId "
              + actual
              + ", this chain is configured for "
              + chainId,
          null);
    }
    chainChecked.set(true);
  }

  /** The fields of a signed transaction that status and revert decoding need. */
  private record Sent(
      String from,
      BigInteger nonce,
      BigInteger gasLimit,
      String to,
      BigInteger value,
      String data) {}

  private Sent checkSigned(SignedSettlement signed) {
    byte[] raw = signed.signedBytes().toByteArray();
    if (!Arrays.equals(Hash.sha3(raw), signed.transactionId().toByteArray())) {
      throw PoolException.invalidArgument(
          "signed.transactionId", "is not the keccak256 hash of signed.signedBytes");
    }
    RawTransaction decoded;
    try {
      decoded = TransactionDecoder.decode(Numeric.toHexString(raw));
    } catch (RuntimeException e) {
      throw PoolException.invalidArgument(
          "signed.signedBytes", "is not a signed EVM transaction: " + e.getMessage());
    }
    if (!(decoded instanceof SignedRawTransaction s)) {
      throw PoolException.invalidArgument("signed.signedBytes", "carries no signature");
    }
    String from;
    try {
      from = s.getFrom();
    } catch (java.security.SignatureException e) {
      throw PoolException.invalidArgument(
          "signed.signedBytes", "has a signature no address can be recovered from");
    }
    return new Sent(from, s.getNonce(), s.getGasLimit(), s.getTo(), s.getValue(), s.getData());
  }

  private DefaultBlockParameter settledBlock() {
    if (confirmations <= 1) {
      return DefaultBlockParameterName.LATEST;
    }
    long latest = rpc.block(DefaultBlockParameterName.LATEST).getNumber().longValueExact();
    return DefaultBlockParameter.valueOf(
        BigInteger.valueOf(Math.max(0, latest - confirmations + 1)));
  }

  private String revertReason(Sent tx, TransactionReceipt receipt) {
    if (receipt.getGasUsed().equals(tx.gasLimit())) {
      return "out of gas (used all " + tx.gasLimit() + ")";
    }
    // Replay the call on the state before its block to read the revert data.
    long before = receipt.getBlockNumber().longValueExact() - 1;
    EvmRpc.CallOutcome replay =
        rpc.call(
            Transaction.createFunctionCallTransaction(
                tx.from(), null, null, tx.gasLimit(), tx.to(), tx.value(), tx.data()),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.max(0, before))));
    if (replay.reverted()) {
      return reason(replay);
    }
    return "reverted in block "
        + receipt.getBlockNumber()
        + " (replay on the previous block"
        + " succeeds, so the reason depends on transactions of the same block)";
  }

  private String reason(EvmRpc.CallOutcome outcome) {
    if (outcome.revertData() != null) {
      return reverts.decode(outcome.revertData());
    }
    return String.valueOf(outcome.message());
  }

  private PoolException rejected(SettlementBatch batch, String why) {
    return new PoolException(
        ErrorCode.CHAIN_REJECTED, "settlement " + describe(batch) + " on " + id + ": " + why);
  }

  private static String describe(SettlementBatch batch) {
    return "epoch "
        + batch.epoch()
        + " batch "
        + batch.batchIndex()
        + " (key "
        + batch.idempotencyKey().toHex()
        + ")";
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION, "EvmSettlementChain " + id + " is closed");
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PoolException(ErrorCode.CANCELLED, "interrupted while waiting for a settlement", e);
    }
  }

  /**
   * Configures an {@link EvmSettlementChain}. Each setter checks its argument and may be called
   * once. Not thread-safe; {@link #build} does not block.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Web3jService service;
    private String endpoint = "";
    private @Nullable Credentials credentials;
    private long chainId = -1;
    private @Nullable String payoutsContract;
    private @Nullable String token;
    private boolean nativeCoin;
    private @Nullable String rewardsContract;
    private @Nullable String namespace;
    private int confirmations = -1;
    private @Nullable BigInteger maxFeePerGas;
    private @Nullable BigInteger priorityFeePerGas;
    private @Nullable Duration pollInterval;
    private @Nullable Duration resendInterval;
    private @Nullable Clock clock;

    private Builder() {}

    /**
     * The node's JSON-RPC HTTP URL.
     *
     * @param url http:// or https:// URL
     * @return this builder
     */
    public Builder rpcUrl(String url) {
      once("rpcUrl", service);
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        throw PoolException.invalidArgument("rpcUrl", "is \"" + url + "\", must be an http(s) URL");
      }
      this.service = new HttpService(url);
      this.endpoint = url;
      return this;
    }

    /**
     * A web3j transport instead of {@link #rpcUrl}; the chain closes it.
     *
     * @param service the service
     * @param description how to name it in error messages
     * @return this builder
     */
    public Builder rpc(Web3jService service, String description) {
      once("rpc", this.service);
      this.service = requireArgument("service", service);
      this.endpoint = requireArgument("description", description);
      return this;
    }

    /**
     * The payer's secp256k1 private key.
     *
     * @param hex 32 bytes as hex, with or without 0x
     * @return this builder
     */
    public Builder privateKey(String hex) {
      once("privateKey", credentials);
      String clean = hex == null ? "" : Numeric.cleanHexPrefix(hex.strip());
      if (clean.length() != 64 || !clean.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw PoolException.invalidArgument("privateKey", "must be 32 bytes of hex (64 digits)");
      }
      this.credentials = Credentials.create(clean);
      return this;
    }

    /**
     * The EIP-155 chain id the node must report (31337 for a Hardhat node).
     *
     * @param chainId a positive id
     * @return this builder
     */
    public Builder chainId(long chainId) {
      if (this.chainId != -1) {
        throw PoolException.invalidArgument("chainId", "is already set");
      }
      if (chainId <= 0) {
        throw PoolException.invalidArgument("chainId", "is " + chainId + ", must be positive");
      }
      this.chainId = chainId;
      return this;
    }

    /**
     * Settle by paying every payout through a deployed PoolPayouts contract.
     *
     * @param address the contract
     * @return this builder
     */
    public Builder payoutsContract(String address) {
      once("payoutsContract", payoutsContract);
      SettlementCalls.address("payoutsContract", address);
      this.payoutsContract = address;
      return this;
    }

    /**
     * Pay in this ERC-20 token (the payer approves PoolPayouts once).
     *
     * @param address the token contract
     * @return this builder
     */
    public Builder token(String address) {
      once("token", token);
      SettlementCalls.address("token", address);
      this.token = address;
      return this;
    }

    /**
     * Pay in the chain's native coin instead of a token.
     *
     * @return this builder
     */
    public Builder nativeCoin() {
      if (nativeCoin) {
        throw PoolException.invalidArgument("nativeCoin", "is already set");
      }
      this.nativeCoin = true;
      return this;
    }

    /**
     * Settle by posting each epoch's Merkle root to a deployed PoolRewards contract (owned by the
     * payer); workers claim with their proofs.
     *
     * @param address the contract
     * @return this builder
     */
    public Builder rewardsContract(String address) {
      once("rewardsContract", rewardsContract);
      SettlementCalls.address("rewardsContract", address);
      this.rewardsContract = address;
      return this;
    }

    /**
     * Names this pool's settlement ids on chain; two pools sharing one payer key must use two
     * namespaces. Default "poolforge".
     *
     * @param namespace 1 to 64 characters
     * @return this builder
     */
    public Builder namespace(String namespace) {
      once("namespace", this.namespace);
      if (namespace == null || namespace.isBlank() || namespace.length() > 64) {
        throw PoolException.invalidArgument("namespace", "must be 1 to 64 characters");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Blocks (including the one that includes it) before a transaction counts as CONFIRMED, and
     * before a used nonce counts as proof for REQUEUED. Default 1 (Hardhat, single-sequencer
     * rollups); use more on chains that reorganise.
     *
     * @param blocks 1 to 1000
     * @return this builder
     */
    public Builder confirmations(int blocks) {
      if (confirmations != -1) {
        throw PoolException.invalidArgument("confirmations", "is already set");
      }
      if (blocks < 1 || blocks > 1000) {
        throw PoolException.invalidArgument(
            "confirmations", "is " + blocks + ", must be 1 to 1000");
      }
      this.confirmations = blocks;
      return this;
    }

    /**
     * A cap on maxFeePerGas in wei; by default 2 x base fee + tip, uncapped.
     *
     * @param wei a positive amount
     * @return this builder
     */
    public Builder maxFeePerGas(BigInteger wei) {
      once("maxFeePerGas", maxFeePerGas);
      this.maxFeePerGas = positive("maxFeePerGas", wei);
      return this;
    }

    /**
     * A fixed priority fee in wei; by default the node's eth_maxPriorityFeePerGas.
     *
     * @param wei a non-negative amount
     * @return this builder
     */
    public Builder priorityFeePerGas(BigInteger wei) {
      once("priorityFeePerGas", priorityFeePerGas);
      if (wei == null || wei.signum() < 0) {
        throw PoolException.invalidArgument("priorityFeePerGas", "is " + wei + ", must be >= 0");
      }
      this.priorityFeePerGas = wei;
      return this;
    }

    /**
     * How often {@link EvmSettlementChain#awaitFinal} polls for a receipt. Default 1 s.
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder pollInterval(Duration interval) {
      once("pollInterval", pollInterval);
      this.pollInterval = positive("pollInterval", interval);
      return this;
    }

    /**
     * How often {@link EvmSettlementChain#awaitFinal} sends the same bytes again while they are not
     * included. Default 30 s.
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder resendInterval(Duration interval) {
      once("resendInterval", resendInterval);
      this.resendInterval = positive("resendInterval", interval);
      return this;
    }

    /**
     * The clock for deadlines. Default the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      once("clock", this.clock);
      this.clock = requireArgument("clock", clock);
      return this;
    }

    /**
     * Builds the chain; opens no connection yet.
     *
     * @return the chain, which the caller closes
     * @throws PoolException INVALID_ARGUMENT naming a missing or conflicting setting
     */
    public EvmSettlementChain build() {
      if (service == null) {
        throw PoolException.invalidArgument("rpcUrl", "is required");
      }
      if (credentials == null) {
        throw PoolException.invalidArgument("privateKey", "is required");
      }
      if (chainId == -1) {
        throw PoolException.invalidArgument("chainId", "is required");
      }
      if ((payoutsContract == null) == (rewardsContract == null)) {
        throw PoolException.invalidArgument(
            "payoutsContract", "set exactly one of payoutsContract and rewardsContract");
      }
      if (payoutsContract != null && (token == null) == !nativeCoin) {
        throw PoolException.invalidArgument(
            "token", "set exactly one of token and nativeCoin with payoutsContract");
      }
      if (rewardsContract != null && (token != null || nativeCoin)) {
        throw PoolException.invalidArgument(
            "token", "does not apply to rewardsContract (the contract holds its token)");
      }
      if (namespace == null) {
        namespace = "poolforge";
      }
      if (confirmations == -1) {
        confirmations = 1;
      }
      if (pollInterval == null) {
        pollInterval = Duration.ofSeconds(1);
      }
      if (resendInterval == null) {
        resendInterval = Duration.ofSeconds(30);
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      return new EvmSettlementChain(this);
    }

    private static void once(String field, @Nullable Object current) {
      if (current != null) {
        throw PoolException.invalidArgument(field, "is already set");
      }
    }

    private static BigInteger positive(String field, @Nullable BigInteger v) {
      if (v == null || v.signum() <= 0) {
        throw PoolException.invalidArgument(field, "is " + v + ", must be positive");
      }
      return v;
    }

    private static Duration positive(String field, @Nullable Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw PoolException.invalidArgument(field, "is " + d + ", must be positive");
      }
      return d;
    }
  }

  /** Bad input is a PoolException naming the field, as every PoolForge SPI promises. */
  private static <T> T requireArgument(String field, @Nullable T value) {
    if (value == null) {
      throw PoolException.invalidArgument(field, "must not be null");
    }
    return value;
  }
}
