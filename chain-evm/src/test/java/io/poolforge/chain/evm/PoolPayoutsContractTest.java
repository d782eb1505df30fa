package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;

/**
 * PoolPayouts' own guards, called directly (bypassing EvmSettlementChain's validation) on the real
 * node: each bad call reverts with the custom error that names the problem and the index.
 */
@RealChain
class PoolPayoutsContractTest {
  private static final String ZERO = "0x0000000000000000000000000000000000000000";
  private static DevChain dev;
  private static Credentials payer;
  private static String token;
  private static String payouts;

  @BeforeAll
  static void deploy(HardhatNode node) {
    dev = new DevChain(node.url());
    payer = DevChain.dev(3);
    token = dev.deployToken(payer);
    payouts = dev.deploy(payer, ContractArtifact.PAYOUTS);
  }

  @AfterAll
  static void close() {
    if (dev != null) {
      dev.close();
    }
  }

  private static String pay(byte id, String tokenAddress, BigInteger... words) {
    List<Uint256> packed = new ArrayList<>();
    for (BigInteger w : words) {
      packed.add(new Uint256(w));
    }
    byte[] settlementId = new byte[32];
    settlementId[31] = id;
    return FunctionEncoder.encode(
        new Function(
            "pay",
            List.of(
                new Bytes32(settlementId),
                new Address(tokenAddress),
                new DynamicArray<>(Uint256.class, packed)),
            List.of()));
  }

  private static BigInteger word(long amount, long recipient) {
    return BigInteger.valueOf(amount).shiftLeft(160).or(BigInteger.valueOf(recipient));
  }

  private static String reason(String data) {
    return dev.revertReason(payer.getAddress(), payouts, data);
  }

  private static String reasonFrom(Credentials from, String data) {
    return dev.revertReason(from.getAddress(), payouts, data);
  }

  @Test
  void emptyBatch() {
    assertThat(reason(pay((byte) 1, token))).isEqualTo("EmptyBatch()");
  }

  @Test
  void zeroRecipientAndZeroAmountNameTheirIndex() {
    assertThat(reason(pay((byte) 1, token, word(5, 0xA1), word(5, 0))))
        .isEqualTo("ZeroRecipient(index=1)");
    assertThat(reason(pay((byte) 1, token, word(5, 0xA1), word(5, 0xA2), word(0, 0xA3))))
        .isEqualTo("ZeroAmount(index=2)");
    assertThat(reason(pay((byte) 1, ZERO, word(5, 0xA1), word(0, 0xA3))))
        .isEqualTo("ZeroAmount(index=1)");
  }

  @Test
  void missingAllowanceBubblesTheTokensOwnError() {
    // Account 4 never approved PoolPayouts for this token.
    assertThat(reasonFrom(DevChain.dev(4), pay((byte) 2, token, word(5, 0xA1))))
        .startsWith("ERC20InsufficientAllowance(spender=" + payouts.toLowerCase());
  }

  @Test
  void tokenThatIsNotAContract() {
    assertThat(reason(pay((byte) 3, "0x00000000000000000000000000000000000000aa", word(1, 0xA1))))
        .isEqualTo("TokenNotContract(token=0x00000000000000000000000000000000000000aa)");
  }

  @Test
  void nativeBatchNeedsTheExactValue() {
    // eth_call without value: the total (12) is not what was sent (0).
    assertThat(reason(pay((byte) 4, ZERO, word(5, 0xA1), word(7, 0xA2))))
        .isEqualTo("WrongValue(expected=12, sent=0)");
  }

  @Test
  void idsAreSeparatePerPayerAndPaidOnce() {
    dev.transact(payer, token, "approve", new Address(payouts), new Uint256(DevChain.MAX_UINT));
    String data = pay((byte) 9, token, word(5, 0xB1));
    assertThat(dev.transact(payer, payouts, BigInteger.ZERO, data).isStatusOK()).isTrue();
    assertThat(reason(data)).startsWith("AlreadyPaid(settlementId=0x");
    byte[] id = new byte[32];
    id[31] = 9;
    assertThat(dev.isPaid(payouts, payer.getAddress(), id)).isTrue();
    // The same id is still free for another payer.
    assertThat(dev.isPaid(payouts, DevChain.dev(0).getAddress(), id)).isFalse();
    assertThat(dev.balanceOf(token, "0x00000000000000000000000000000000000000b1"))
        .isEqualTo(BigInteger.valueOf(5));
  }
}
