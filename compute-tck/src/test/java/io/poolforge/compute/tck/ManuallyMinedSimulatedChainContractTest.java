package io.poolforge.compute.tck;

import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.core.ledger.SimulatedChain;
import java.math.BigInteger;

/** The same contract with blocks mined only when the test advances the chain. */
class ManuallyMinedSimulatedChainContractTest extends SettlementChainContractTest {
  @Override
  protected SettlementChain createChain() {
    return SimulatedChain.create("sim:manual", false, 2);
  }

  @Override
  protected BigInteger balanceOf(SettlementChain chain, String address) {
    return ((SimulatedChain) chain).balanceOf(address);
  }

  @Override
  protected void advance(SettlementChain chain) {
    ((SimulatedChain) chain).mine();
  }
}
