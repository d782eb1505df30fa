package io.poolforge.chain.evm;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Validates settlement batches and encodes the contract calls that pay them: {@code
 * PoolPayouts.pay(bytes32,address,uint256[])} with one packed word per payout ({@code amount << 160
 * | recipient}), or {@code PoolRewards.postRoot(uint64,bytes32)}. Stateless and thread-safe; never
 * blocks.
 */
final class SettlementCalls {

  /** The largest amount one packed word carries: 2^96 - 1. */
  static final BigInteger MAX_AMOUNT = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

  /**
   * The most payouts in one PoolPayouts transaction: about 26,200 gas each for a recipient that
   * never held the token, so 1,000 stay near 26.3M gas, under the 30M block gas limit of mainnet
   * and most L2s. The ledger splits larger epochs into several batches (batchIndex).
   */
  static final int MAX_RECIPIENTS = 1_000;

  private SettlementCalls() {}

  /**
   * The on-chain settlement id of a batch, a bijection of (namespace, epoch, batchIndex): the top
   * 128 bits name the namespace (first 16 bytes of keccak256(namespace)), then 32 bits of batch
   * index, then 64 bits of epoch in the lowest bits. Consecutive epochs therefore differ only in
   * their lowest bits and share one 256-bit word of PoolPayouts' paid-id bitmap, which keeps the
   * per-batch cost of the replay guard at about 5,000 gas instead of 22,100. The batch's own
   * idempotency key (SHA-256(epoch, chain, batchIndex)) is equivalent, since the chain is fixed for
   * one {@link EvmSettlementChain}.
   */
  static Bytes onChainId(String namespace, SettlementBatch batch) {
    byte[] id = new byte[32];
    byte[] tag = Hash.sha3(namespace.getBytes(StandardCharsets.UTF_8));
    System.arraycopy(tag, 0, id, 0, 16);
    int index = batch.batchIndex();
    for (int i = 0; i < 4; i++) {
      id[20 + i] = (byte) (index >>> (24 - 8 * i));
    }
    long epoch = batch.epoch();
    for (int i = 0; i < 8; i++) {
      id[24 + i] = (byte) (epoch >>> (56 - 8 * i));
    }
    return Bytes.wrap(id);
  }

  /** Packs and checks every payout; the message names the payout index and the limit broken. */
  static List<Uint256> packPayouts(List<Payout> payouts) {
    if (payouts.isEmpty()) {
      throw PoolException.invalidArgument(
          "batch.payouts",
          "is empty, a PoolPayouts batch needs 1 to " + SettlementBatch.MAX_PAYOUTS);
    }
    if (payouts.size() > MAX_RECIPIENTS) {
      throw PoolException.invalidArgument(
          "batch.payouts",
          "has "
              + payouts.size()
              + " payouts, PoolPayouts takes at most "
              + MAX_RECIPIENTS
              + " per batch (about 26M gas for new recipients, under a 30M block gas limit);"
              + " split the epoch into batches");
    }
    List<Uint256> words = new ArrayList<>(payouts.size());
    Map<BigInteger, Integer> seen = new HashMap<>();
    for (int i = 0; i < payouts.size(); i++) {
      Payout p = payouts.get(i);
      BigInteger recipient = address("batch.payouts[" + i + "].address", p.address());
      Integer before = seen.putIfAbsent(recipient, i);
      if (before != null) {
        throw PoolException.invalidArgument(
            "batch.payouts[" + i + "].address",
            "repeats payouts[" + before + "] (" + p.address() + "); one entry per address");
      }
      BigInteger amount = p.amount();
      if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
        throw PoolException.invalidArgument(
            "batch.payouts[" + i + "].amount",
            "is " + amount + ", must be in [1, 2^96 - 1] (96 bits of the packed PoolPayouts word)");
      }
      words.add(new Uint256(amount.shiftLeft(160).or(recipient)));
    }
    return words;
  }

  /** Calldata of {@code PoolPayouts.pay(settlementId, token, packed)}. */
  static String payCall(Bytes settlementId, String token, List<Uint256> packed) {
    Function pay =
        new Function(
            "pay",
            List.of(
                new Bytes32(settlementId.toByteArray()),
                new Address(token),
                new DynamicArray<>(Uint256.class, packed)),
            List.of());
    return FunctionEncoder.encode(pay);
  }

  /**
   * Calldata of {@code PoolRewards.postRoot(epoch + 1, root)}: contract epochs start at 1 so that 0
   * can mean "no root yet".
   */
  static String postRootCall(SettlementBatch batch) {
    Bytes root = batch.merkleRoot();
    if (root.size() != 32) {
      throw PoolException.invalidArgument(
          "batch.merkleRoot", "is " + root.size() + " bytes, PoolRewards needs a 32-byte root");
    }
    if (root.equals(Bytes.wrap(new byte[32]))) {
      throw PoolException.invalidArgument(
          "batch.merkleRoot", "is all zero; PoolRewards refuses it");
    }
    if (batch.epoch() == Long.MAX_VALUE) {
      throw PoolException.invalidArgument(
          "batch.epoch", "is Long.MAX_VALUE, the limit is 2^63 - 2");
    }
    Function post =
        new Function(
            "postRoot",
            List.of(
                new Uint64(BigInteger.valueOf(batch.epoch() + 1)), new Bytes32(root.toByteArray())),
            List.of());
    return FunctionEncoder.encode(post);
  }

  /** Parses a 0x-prefixed 20-byte hex address that is not zero. */
  static BigInteger address(String field, String value) {
    if (value == null
        || value.length() != 42
        || !(value.startsWith("0x") || value.startsWith("0X"))
        || !Numeric.cleanHexPrefix(value).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw PoolException.invalidArgument(
          field, "is \"" + value + "\", must be a 0x-prefixed 20-byte hex EVM address");
    }
    BigInteger parsed = Numeric.toBigInt(value);
    if (parsed.signum() == 0) {
      throw PoolException.invalidArgument(field, "is the zero address, which cannot be paid");
    }
    return parsed;
  }
}
