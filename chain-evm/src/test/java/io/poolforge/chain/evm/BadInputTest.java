package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Bad input is refused with INVALID_ARGUMENT naming the field and the limit, before any network
 * I/O: the chain below points at a port where nothing listens.
 */
class BadInputTest {
  private static final String CHAIN = "evm:31337";
  private static final String OK_ADDRESS = "0x1111111111111111111111111111111111111111";
  private static final String TOKEN = "0x2222222222222222222222222222222222222222";

  private static EvmSettlementChain offline() {
    return EvmSettlementChain.builder()
        .rpcUrl("http://127.0.0.1:1")
        .chainId(31337)
        .privateKey(HardhatNode.DEV_KEYS.get(0))
        .payoutsContract("0x3333333333333333333333333333333333333333")
        .token(TOKEN)
        .build();
  }

  private static void assertInvalid(List<Payout> payouts, String field, String... fragments) {
    SettlementBatch batch = SettlementBatch.of(1, CHAIN, 0, payouts, Bytes.EMPTY);
    try (EvmSettlementChain chain = offline()) {
      assertThatThrownBy(() -> chain.sign(batch))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.getMessage()).contains(field).contains(fragments);
              });
    }
  }

  @Test
  void emptyBatch() {
    assertInvalid(List.of(), "batch.payouts", "is empty", "1 to");
  }

  @Test
  void tooManyPayoutsForOneTransaction() {
    List<Payout> many = new ArrayList<>();
    for (int i = 1; i <= SettlementCalls.MAX_RECIPIENTS + 1; i++) {
      many.add(new Payout(String.format("0x%040x", i), BigInteger.ONE));
    }
    assertInvalid(many, "batch.payouts", "1001 payouts", "at most 1000");
  }

  @Test
  void zeroAddress() {
    assertInvalid(
        List.of(
            new Payout(OK_ADDRESS, BigInteger.ONE),
            new Payout("0x0000000000000000000000000000000000000000", BigInteger.ONE)),
        "batch.payouts[1].address",
        "zero address");
  }

  @Test
  void malformedAddress() {
    assertInvalid(
        List.of(new Payout("0x12345", BigInteger.ONE)), "batch.payouts[0].address", "20-byte hex");
    assertInvalid(
        List.of(new Payout("0xzz11111111111111111111111111111111111111", BigInteger.ONE)),
        "batch.payouts[0].address",
        "20-byte hex");
  }

  @Test
  void amountOverflowsThePackedWord() {
    assertInvalid(
        List.of(new Payout(OK_ADDRESS, BigInteger.ONE.shiftLeft(96))),
        "batch.payouts[0].amount",
        "2^96 - 1");
    assertInvalid(
        List.of(new Payout(OK_ADDRESS, BigInteger.ZERO)), "batch.payouts[0].amount", "[1, ");
  }

  @Test
  void duplicateRecipient() {
    assertInvalid(
        List.of(
            new Payout(OK_ADDRESS, BigInteger.ONE),
            new Payout(OK_ADDRESS.toUpperCase().replace("0X", "0x"), BigInteger.TWO)),
        "batch.payouts[1].address",
        "repeats payouts[0]");
  }

  @Test
  void batchForAnotherChain() {
    SettlementBatch batch =
        SettlementBatch.of(
            1, "evm:1", 0, List.of(new Payout(OK_ADDRESS, BigInteger.ONE)), Bytes.EMPTY);
    try (EvmSettlementChain chain = offline()) {
      assertThatThrownBy(() -> chain.sign(batch))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.field()).isEqualTo("batch.chain");
                assertThat(e.getMessage()).contains("evm:1").contains(CHAIN);
              });
    }
  }

  @Test
  void tamperedSignedSettlementIsRefused() {
    SettlementBatch batch =
        SettlementBatch.of(
            1, CHAIN, 0, List.of(new Payout(OK_ADDRESS, BigInteger.ONE)), Bytes.EMPTY);
    SignedSettlement forged =
        new SignedSettlement(batch, Bytes.wrap(new byte[32]), Bytes.wrap(new byte[] {1, 2, 3}));
    try (EvmSettlementChain chain = offline()) {
      assertThatThrownBy(() -> chain.send(forged))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.field()).isEqualTo("signed.transactionId"));
    }
  }

  @Test
  void unreachableNodeIsUnavailableAndRetryable() {
    SettlementBatch batch =
        SettlementBatch.of(
            1, CHAIN, 0, List.of(new Payout(OK_ADDRESS, BigInteger.ONE)), Bytes.EMPTY);
    try (EvmSettlementChain chain = offline()) {
      assertThatThrownBy(() -> chain.sign(batch))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("http://127.0.0.1:1").contains("eth_chainId");
              });
    }
  }

  @Test
  void builderNamesTheSettingAtFault() {
    assertThatThrownBy(() -> EvmSettlementChain.builder().chainId(1).build())
        .hasMessageContaining("rpcUrl: is required");
    assertThatThrownBy(() -> EvmSettlementChain.builder().privateKey("0x1234"))
        .hasMessageContaining("privateKey: must be 32 bytes");
    assertThatThrownBy(() -> EvmSettlementChain.builder().chainId(0))
        .hasMessageContaining("chainId: is 0, must be positive");
    assertThatThrownBy(() -> EvmSettlementChain.builder().confirmations(0))
        .hasMessageContaining("confirmations: is 0, must be 1 to 1000");
    assertThatThrownBy(() -> EvmSettlementChain.builder().rpcUrl("http://a").rpcUrl("http://b"))
        .hasMessageContaining("rpcUrl: is already set");
    assertThatThrownBy(
            () ->
                EvmSettlementChain.builder()
                    .rpcUrl("http://127.0.0.1:1")
                    .chainId(1)
                    .privateKey(HardhatNode.DEV_KEYS.get(0))
                    .payoutsContract(TOKEN)
                    .rewardsContract(TOKEN)
                    .build())
        .hasMessageContaining("exactly one of payoutsContract and rewardsContract");
    assertThatThrownBy(
            () ->
                EvmSettlementChain.builder()
                    .rpcUrl("http://127.0.0.1:1")
                    .chainId(1)
                    .privateKey(HardhatNode.DEV_KEYS.get(0))
                    .payoutsContract(TOKEN)
                    .build())
        .hasMessageContaining("exactly one of token and nativeCoin");
  }

  @Test
  void missingNodeModulesFailsWithTheInstallCommand(@TempDir Path empty) {
    assertThatThrownBy(() -> HardhatNode.requireNodeModules(empty))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("npm ci")
        .hasMessageContaining("chain-evm");
  }
}
