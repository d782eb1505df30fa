package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The gas goals of PoolPayouts, measured on the real node through EvmSettlementChain's own
 * calldata: at most 12,000 gas per already-funded recipient and under 41,000 fixed overhead.
 * scripts/gas.js measures the full table for docs/settlement.md.
 */
@RealChain
class GasBudgetTest {

  @Test
  void perRecipientAndFixedOverheadStayWithinTheGoals(HardhatNode node) throws Exception {
    try (DevChain dev = new DevChain(node.url())) {
      Credentials payer = DevChain.dev(0);
      String token = dev.deployToken(payer);
      String payouts = dev.deploy(payer, ContractArtifact.PAYOUTS);
      dev.transact(payer, token, "approve", new Address(payouts), new Uint256(DevChain.MAX_UINT));
      List<Payout> hundred = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        // Realistic calldata: hash-derived addresses and 18-decimal amounts (few zero bytes, which
        // calldata prices at 4 instead of 16 gas).
        String address =
            Numeric.toHexString(org.web3j.crypto.Hash.sha3(("gas-" + i).getBytes()))
                .substring(0, 42);
        BigInteger amount = new BigInteger("1234567890123456789").add(BigInteger.valueOf(i));
        hundred.add(new Payout(address, amount));
      }
      try (EvmSettlementChain chain =
          EvmSettlementChain.builder()
              .rpcUrl(node.url())
              .chainId(31337)
              .privateKey(HardhatNode.DEV_KEYS.get(0))
              .payoutsContract(payouts)
              .token(token)
              .pollInterval(Duration.ofMillis(20))
              .build()) {
        long fresh100 = gas(dev, chain, 0, hundred); // new recipients, fresh bitmap word
        long funded10 = gas(dev, chain, 1, hundred.subList(0, 10));
        long funded100 = gas(dev, chain, 2, hundred);
        double marginal = (funded100 - funded10) / 90.0;
        double fixed = funded100 - 100 * marginal;
        System.out.printf(
            "PoolPayouts gas: 100 new=%d, 10 funded=%d, 100 funded=%d, marginal=%.1f, fixed=%.1f%n",
            fresh100, funded10, funded100, marginal, fixed);
        assertThat(marginal).as("gas per already-funded recipient").isLessThanOrEqualTo(12_000);
        assertThat(fixed).as("fixed overhead per batch").isLessThan(41_000);
      }
    }
  }

  private static long gas(DevChain dev, EvmSettlementChain chain, long epoch, List<Payout> list)
      throws Exception {
    SignedSettlement signed =
        chain.sign(SettlementBatch.of(epoch, chain.id(), 0, list, Bytes.EMPTY));
    chain.send(signed);
    chain.awaitFinal(signed, Duration.ofSeconds(30));
    return dev.web3j
        .ethGetTransactionReceipt(Numeric.toHexString(signed.transactionId().toByteArray()))
        .send()
        .getTransactionReceipt()
        .orElseThrow()
        .getGasUsed()
        .longValueExact();
  }
}
