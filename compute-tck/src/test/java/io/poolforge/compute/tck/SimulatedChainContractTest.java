package io.poolforge.compute.tck;

import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.core.ledger.SimulatedChain;
import java.math.BigInteger;

/** compute-core's in-memory SimulatedChain keeps the settlement chain contract. */
class SimulatedChainContractTest extends SettlementChainContractTest {
  @Override
  protected SettlementChain createChain() {
    return SimulatedChain.create("sim:contract");
  }

  @Override
  protected BigInteger balanceOf(SettlementChain chain, String address) {
    return ((SimulatedChain) chain).balanceOf(address);
  }
}
