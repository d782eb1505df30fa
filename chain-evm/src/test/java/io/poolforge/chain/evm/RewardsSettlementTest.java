package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Merkle rewards on a real Hardhat node: EvmSettlementChain posts each epoch's root to PoolRewards,
 * workers claim with proofs built by the Java StandardMerkleTree, and one claim against the latest
 * root covers every epoch since the last claim.
 */
@RealChain
class RewardsSettlementTest {
  private static final String CHAIN = "evm:31337";

  private static HardhatNode node;
  private static DevChain dev;
  private static Credentials owner;
  private static Credentials claimer;
  private static String token;
  private static String rewards;

  @BeforeAll
  static void deploy(HardhatNode hardhat) {
    node = hardhat;
    dev = new DevChain(node.url());
    owner = DevChain.dev(2);
    claimer = DevChain.dev(3);
    token = dev.deployToken(owner);
    rewards =
        dev.deploy(
            owner, ContractArtifact.REWARDS, new Address(token), new Address(owner.getAddress()));
    dev.transact(
        owner, token, "transfer", new Address(rewards), new Uint256(BigInteger.TEN.pow(24)));
  }

  @AfterAll
  static void close() {
    if (dev != null) {
      dev.close();
    }
  }

  private static EvmSettlementChain chain() {
    return EvmSettlementChain.builder()
        .rpcUrl(node.url())
        .chainId(31337)
        .privateKey(HardhatNode.DEV_KEYS.get(2))
        .rewardsContract(rewards)
        .pollInterval(Duration.ofMillis(20))
        .build();
  }

  private static final List<String> WORKERS =
      List.of(
          "0x00000000000000000000000000000000000a0001",
          "0x00000000000000000000000000000000000a0002",
          "0x00000000000000000000000000000000000a0003",
          "0x00000000000000000000000000000000000a0004",
          "0x00000000000000000000000000000000000a0005");

  private static StandardMerkleTree tree(long... cumulative) {
    List<StandardMerkleTree.Entry> entries = new ArrayList<>();
    for (int i = 0; i < cumulative.length; i++) {
      entries.add(new StandardMerkleTree.Entry(WORKERS.get(i), BigInteger.valueOf(cumulative[i])));
    }
    return StandardMerkleTree.of(entries);
  }

  private static void post(EvmSettlementChain chain, long epoch, StandardMerkleTree tree) {
    List<Payout> entries = new ArrayList<>();
    tree.entries().forEach(e -> entries.add(new Payout(e.account(), e.amount())));
    SettlementBatch batch =
        SettlementBatch.of(epoch, CHAIN, 0, entries, Bytes.fromHex(tree.root().substring(2)));
    SignedSettlement signed = chain.sign(batch);
    chain.send(signed);
    assertThat(chain.awaitFinal(signed, Duration.ofSeconds(30)).state())
        .isEqualTo(SettlementState.CONFIRMED);
    Function root = new Function("merkleRoot", List.of(), List.of(new TypeReference<Bytes32>() {}));
    assertThat(Numeric.toHexString((byte[]) dev.call(rewards, root).get(0).getValue()))
        .isEqualTo(tree.root());
    Function latest = new Function("epoch", List.of(), List.of(new TypeReference<Uint64>() {}));
    assertThat(dev.call(rewards, latest).get(0).getValue())
        .isEqualTo(BigInteger.valueOf(epoch + 1));
  }

  private static String claimData(StandardMerkleTree tree, int i) {
    List<Bytes32> proof = new ArrayList<>();
    tree.proof(i).forEach(h -> proof.add(new Bytes32(Numeric.hexStringToByteArray(h))));
    return FunctionEncoder.encode(
        new Function(
            "claim",
            List.of(
                new Address(tree.entries().get(i).account()),
                new Uint256(tree.entries().get(i).amount()),
                new DynamicArray<>(Bytes32.class, proof)),
            List.of()));
  }

  private static TransactionReceipt claim(StandardMerkleTree tree, int i) {
    TransactionReceipt r = dev.transact(claimer, rewards, BigInteger.ZERO, claimData(tree, i));
    assertThat(r.isStatusOK()).as("claim of worker %d", i).isTrue();
    return r;
  }

  private static BigInteger balance(int worker) {
    return dev.balanceOf(token, WORKERS.get(worker));
  }

  @Test
  void claimsAgainstTheLatestRootPayTheDifferenceSinceTheLastClaim() {
    try (EvmSettlementChain chain = chain()) {
      StandardMerkleTree e0 = tree(100, 200, 300, 400, 500);
      post(chain, 0, e0);
      claim(e0, 0);
      claim(e0, 1);
      assertThat(balance(0)).isEqualTo(BigInteger.valueOf(100));

      StandardMerkleTree e1 = tree(150, 200, 350, 400, 900);
      post(chain, 1, e1);
      StandardMerkleTree e2 = tree(175, 260, 350, 480, 1000);
      post(chain, 2, e2);

      // Worker 0 claimed at epoch 0: one claim now pays epochs 1 and 2.
      TransactionReceipt again = claim(e2, 0);
      assertThat(balance(0)).isEqualTo(BigInteger.valueOf(175));
      // Goal: a claim costs at most 60,000 gas (returning claimer, funded balance).
      assertThat(again.getGasUsed()).isLessThanOrEqualTo(BigInteger.valueOf(60_000));
      // Worker 4 never claimed: one claim pays its whole cumulative amount.
      claim(e2, 4);
      assertThat(balance(4)).isEqualTo(BigInteger.valueOf(1000));

      // Nothing left, stale proofs and forged amounts are refused with the contract's reason.
      assertThat(dev.revertReason(claimer.getAddress(), rewards, claimData(e2, 0)))
          .startsWith("NothingToClaim(");
      assertThat(dev.revertReason(claimer.getAddress(), rewards, claimData(e1, 2)))
          .startsWith("InvalidProof(");
      StandardMerkleTree forged = tree(175, 260, 350, 480, 5000);
      assertThat(dev.revertReason(claimer.getAddress(), rewards, claimData(forged, 4)))
          .startsWith("InvalidProof(");

      // Posting an old epoch again is refused before signing.
      assertThatThrownBy(() -> post(chain, 1, e1))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_REJECTED);
                assertThat(e.getMessage()).contains("EpochNotIncreasing(latest=3, given=2)");
              });
    }
  }
}
