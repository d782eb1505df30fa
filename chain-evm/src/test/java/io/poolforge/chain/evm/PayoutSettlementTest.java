package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.http.HttpService;

/**
 * End to end on a real Hardhat node: epoch payout batches through PoolPayouts, checked against
 * on-chain ERC-20 and native balances; replays refused by the contract; a lost send response
 * followed by a resend of the same bytes; a nonce provably taken by another transaction.
 */
@RealChain
class PayoutSettlementTest {
  private static final String CHAIN = "evm:31337";

  private static HardhatNode node;
  private static DevChain dev;
  private static Credentials payer;
  private static String token;
  private static String payouts;
  private static long epochs = 100;

  @BeforeAll
  static void deploy(HardhatNode hardhat) {
    node = hardhat;
    dev = new DevChain(node.url());
    payer = DevChain.dev(1);
    token = dev.deployToken(payer);
    payouts = dev.deploy(payer, ContractArtifact.PAYOUTS);
    dev.transact(payer, token, "approve", new Address(payouts), new Uint256(DevChain.MAX_UINT));
  }

  @AfterAll
  static void close() {
    if (dev != null) {
      dev.close();
    }
  }

  private long epoch;

  @BeforeEach
  void nextEpoch() {
    epoch = epochs++; // a fresh epoch per test: ids never collide between tests
  }

  private EvmSettlementChain.Builder chain() {
    return EvmSettlementChain.builder()
        .rpcUrl(node.url())
        .chainId(31337)
        .privateKey(HardhatNode.DEV_KEYS.get(1))
        .payoutsContract(payouts)
        .pollInterval(Duration.ofMillis(20))
        .resendInterval(Duration.ofMillis(200));
  }

  private static List<Payout> payoutsTo(int n, String salt, long base) {
    List<Payout> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String address =
          org.web3j.utils.Numeric.toHexString(Hash.sha3((salt + "-" + i).getBytes()))
              .substring(0, 2 + 40);
      list.add(new Payout("0x" + address.substring(2), BigInteger.valueOf(base + i)));
    }
    return list;
  }

  private Map<String, BigInteger> tokenBalances(List<Payout> list) {
    Map<String, BigInteger> m = new HashMap<>();
    for (Payout p : list) {
      m.put(p.address(), dev.balanceOf(token, p.address()));
    }
    return m;
  }

  @Test
  void epochBatchPaysEveryWorkerItsAmountOnChain() {
    List<Payout> list = payoutsTo(50, "epoch-" + epoch, 1_000);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    BigInteger payerBefore = dev.balanceOf(token, payer.getAddress());

    try (EvmSettlementChain chain = chain().token(token).build()) {
      assertThat(chain.id()).isEqualTo(CHAIN);
      SignedSettlement signed = chain.sign(batch);
      SettlementReceipt sent = chain.send(signed);
      assertThat(sent.state()).isIn(SettlementState.SUBMITTED, SettlementState.CONFIRMED);
      SettlementReceipt done = chain.awaitFinal(signed, Duration.ofSeconds(30));
      assertThat(done.state()).isEqualTo(SettlementState.CONFIRMED);
      assertThat(done.blockNumber()).isPositive();
      assertThat(done.idempotencyKey()).isEqualTo(batch.idempotencyKey());
    }

    BigInteger total = BigInteger.ZERO;
    for (Payout p : list) {
      assertThat(dev.balanceOf(token, p.address())).as(p.address()).isEqualTo(p.amount());
      total = total.add(p.amount());
    }
    assertThat(dev.balanceOf(token, payer.getAddress())).isEqualTo(payerBefore.subtract(total));
    assertThat(
            dev.isPaid(
                payouts,
                payer.getAddress(),
                SettlementCalls.onChainId("poolforge", batch).toByteArray()))
        .isTrue();
  }

  @Test
  void nativeCoinBatchPaysBalances() {
    String nativePayouts = payouts; // the same contract pays ERC-20 and native batches
    List<Payout> list = payoutsTo(5, "native-" + epoch, 1_000_000_000L);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    try (EvmSettlementChain chain =
        EvmSettlementChain.builder()
            .rpcUrl(node.url())
            .chainId(31337)
            .privateKey(HardhatNode.DEV_KEYS.get(1))
            .payoutsContract(nativePayouts)
            .nativeCoin()
            .namespace("native")
            .pollInterval(Duration.ofMillis(20))
            .build()) {
      SignedSettlement signed = chain.sign(batch);
      chain.send(signed);
      assertThat(chain.awaitFinal(signed, Duration.ofSeconds(30)).state())
          .isEqualTo(SettlementState.CONFIRMED);
    }
    for (Payout p : list) {
      assertThat(dev.nativeBalance(p.address())).isEqualTo(p.amount());
    }
  }

  @Test
  void replayedSettlementIsRefusedWithTheContractsReason() {
    List<Payout> list = payoutsTo(3, "replay-" + epoch, 7);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    try (EvmSettlementChain chain = chain().token(token).build()) {
      SignedSettlement signed = chain.sign(batch);
      chain.send(signed);
      chain.awaitFinal(signed, Duration.ofSeconds(30));
    }
    Map<String, BigInteger> after = tokenBalances(list);

    // A second coordinator (no shared store) tries the same epoch: refused before signing.
    try (EvmSettlementChain other = chain().token(token).build()) {
      BigInteger nonceBefore = dev.pendingNonce(payer.getAddress());
      assertThatThrownBy(() -> other.sign(batch))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_REJECTED);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                    .contains("AlreadyPaid(settlementId=0x")
                    .contains("epoch " + epoch);
              });
      assertThat(dev.pendingNonce(payer.getAddress())).isEqualTo(nonceBefore);
    }
    assertThat(tokenBalances(list)).isEqualTo(after);
  }

  @Test
  void revertMinedOnChainIsSurfacedWithItsReason() {
    List<Payout> list = payoutsTo(2, "mined-revert-" + epoch, 11);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    try (EvmSettlementChain chain = chain().token(token).build()) {
      // Two signatures of the same batch (nonces n and n+1): the simulation passes for both since
      // neither is sent yet; the second one reverts on chain.
      SignedSettlement first = chain.sign(batch);
      SignedSettlement second = chain.sign(batch);
      assertThat(second.signedBytes()).isNotEqualTo(first.signedBytes());
      chain.send(first);
      assertThat(chain.awaitFinal(first, Duration.ofSeconds(30)).state())
          .isEqualTo(SettlementState.CONFIRMED);

      assertThatThrownBy(() -> chain.send(second))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_REJECTED);
                assertThat(e.getMessage()).contains("AlreadyPaid(settlementId=0x");
              });
      SettlementReceipt status = chain.status(second);
      assertThat(status.state()).isEqualTo(SettlementState.REJECTED);
      assertThat(status.detail()).startsWith("AlreadyPaid(");
      assertThat(status.blockNumber()).isPositive();
    }
    for (Payout p : list) {
      assertThat(dev.balanceOf(token, p.address())).isEqualTo(p.amount());
    }
  }

  @Test
  void lostResponseThenResendOfTheSameBytesPaysOnce() throws Exception {
    List<Payout> list = payoutsTo(4, "lost-" + epoch, 100);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    Map<String, Bytes> store = new HashMap<>(); // what the coordinator persists before sending
    BigInteger nonceBefore = dev.latestNonce(payer.getAddress());

    FaultyRpc faulty = new FaultyRpc(new HttpService(node.url()), 1);
    SignedSettlement signed;
    try (EvmSettlementChain chain =
        EvmSettlementChain.builder()
            .chainId(31337)
            .privateKey(HardhatNode.DEV_KEYS.get(1))
            .payoutsContract(payouts)
            .token(token)
            .rpc(faulty, "faulty " + node.url())
            .build()) {
      signed = chain.sign(batch);
      store.put("signed", signed.signedBytes());
      assertThatThrownBy(() -> chain.send(signed))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
              });
      assertThat(faulty.sendRawCalls).hasValue(1);
    }

    // The coordinator "restarts": a new chain client, the stored bytes sent again, unchanged.
    SignedSettlement restored =
        new SignedSettlement(
            batch, Bytes.wrap(Hash.sha3(store.get("signed").toByteArray())), store.get("signed"));
    assertThat(restored).isEqualTo(signed);
    try (EvmSettlementChain chain = chain().token(token).build()) {
      SettlementReceipt again = chain.send(restored);
      assertThat(again.state()).isEqualTo(SettlementState.CONFIRMED);
      assertThat(again.transactionId()).isEqualTo(signed.transactionId());
      // And once more for good measure: still the same single transaction.
      assertThat(chain.send(restored).state()).isEqualTo(SettlementState.CONFIRMED);
    }
    for (Payout p : list) {
      assertThat(dev.balanceOf(token, p.address())).as(p.address()).isEqualTo(p.amount());
    }
    assertThat(dev.latestNonce(payer.getAddress())).isEqualTo(nonceBefore.add(BigInteger.ONE));
  }

  @Test
  void requeuedOnlyWhenTheNonceWasTakenByAnotherTransaction() {
    List<Payout> list = payoutsTo(3, "requeue-" + epoch, 5);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    try (EvmSettlementChain chain = chain().token(token).build()) {
      SignedSettlement signed = chain.sign(batch);
      // Not sent yet: the node does not know it, its nonce is free -> SIGNED, never REQUEUED.
      SettlementReceipt unsent = chain.status(signed);
      assertThat(unsent.state()).isEqualTo(SettlementState.SIGNED);

      // Another transaction of the same account takes that nonce.
      BigInteger nonce = dev.pendingNonce(payer.getAddress());
      dev.transactWithNonce(payer, nonce, payer.getAddress(), BigInteger.ONE, "0x");

      SettlementReceipt dead = chain.status(signed);
      assertThat(dead.state()).isEqualTo(SettlementState.REQUEUED);
      assertThat(dead.detail()).contains("nonce " + nonce).contains("used by another transaction");
      // Sending the dead bytes does not pay either.
      assertThat(chain.send(signed).state()).isEqualTo(SettlementState.REQUEUED);
      for (Payout p : list) {
        assertThat(dev.balanceOf(token, p.address())).isZero();
      }

      // Signed again with a fresh nonce, it pays once.
      SignedSettlement resigned = chain.sign(batch);
      assertThat(resigned.transactionId()).isNotEqualTo(signed.transactionId());
      chain.send(resigned);
      assertThat(chain.awaitFinal(resigned, Duration.ofSeconds(30)).state())
          .isEqualTo(SettlementState.CONFIRMED);
    }
    for (Payout p : list) {
      assertThat(dev.balanceOf(token, p.address())).isEqualTo(p.amount());
    }
  }

  @Test
  void receiptPollingTimesOutThenCompletesWhenMined() {
    List<Payout> list = payoutsTo(2, "slow-" + epoch, 3);
    SettlementBatch batch = SettlementBatch.of(epoch, CHAIN, 0, list, Bytes.EMPTY);
    try (EvmSettlementChain chain = chain().token(token).build()) {
      SignedSettlement signed = chain.sign(batch);
      dev.rpc("evm_setAutomine", false);
      try {
        assertThat(chain.send(signed).state()).isEqualTo(SettlementState.SUBMITTED);
        assertThatThrownBy(() -> chain.awaitFinal(signed, Duration.ofMillis(500)))
            .isInstanceOfSatisfying(
                PoolException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
                  assertThat(e.getMessage()).contains("keep the signed bytes");
                });
        assertThat(chain.status(signed).state()).isEqualTo(SettlementState.SUBMITTED);
        dev.rpc("evm_mine");
      } finally {
        dev.rpc("evm_setAutomine", true);
      }
      assertThat(chain.awaitFinal(signed, Duration.ofSeconds(30)).state())
          .isEqualTo(SettlementState.CONFIRMED);
    }
  }

  @Test
  void concurrentSignersGetDistinctNoncesAndAllBatchesLand() throws Exception {
    int batches = 8;
    List<SettlementBatch> all = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      all.add(
          SettlementBatch.of(
              epoch, CHAIN, i, payoutsTo(2, "conc-" + epoch + "-" + i, 9), Bytes.EMPTY));
    }
    BigInteger nonceBefore = dev.latestNonce(payer.getAddress());
    try (EvmSettlementChain chain = chain().token(token).build();
        var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<SettlementReceipt>> results = new ArrayList<>();
      for (SettlementBatch b : all) {
        results.add(
            executor.submit(
                () -> {
                  SignedSettlement s = chain.sign(b);
                  chain.send(s);
                  return chain.awaitFinal(s, Duration.ofSeconds(30));
                }));
      }
      for (var r : results) {
        assertThat(r.get().state()).isEqualTo(SettlementState.CONFIRMED);
      }
    }
    assertThat(dev.latestNonce(payer.getAddress()))
        .isEqualTo(nonceBefore.add(BigInteger.valueOf(batches)));
    for (SettlementBatch b : all) {
      for (Payout p : b.payouts()) {
        assertThat(dev.balanceOf(token, p.address())).isEqualTo(p.amount());
      }
    }
  }
}
