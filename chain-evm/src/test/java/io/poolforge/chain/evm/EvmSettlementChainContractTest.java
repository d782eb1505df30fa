package io.poolforge.chain.evm;

import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.tck.SettlementChainContractTest;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;

/**
 * The settlement-chain contract kit against {@link EvmSettlementChain} on a real Hardhat node,
 * paying an ERC-20 through a freshly deployed PoolPayouts contract.
 */
@RealChain
class EvmSettlementChainContractTest extends SettlementChainContractTest {
  private static HardhatNode node;
  private static DevChain dev;
  private static String token;
  private static String payouts;

  @BeforeAll
  static void deploy(HardhatNode hardhat) {
    node = hardhat;
    dev = new DevChain(node.url());
    Credentials payer = DevChain.dev(3);
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

  @Override
  protected SettlementChain createChain() {
    return EvmSettlementChain.builder()
        .rpcUrl(node.url())
        .chainId(31337)
        .privateKey(HardhatNode.DEV_KEYS.get(3))
        .payoutsContract(payouts)
        .token(token)
        .namespace("tck")
        .pollInterval(Duration.ofMillis(20))
        .resendInterval(Duration.ofMillis(200))
        .build();
  }

  @Override
  protected BigInteger balanceOf(SettlementChain chain, String address) {
    return dev.balanceOf(token, address);
  }

  @Override
  protected Duration confirmationTimeout() {
    return Duration.ofSeconds(30);
  }
}
