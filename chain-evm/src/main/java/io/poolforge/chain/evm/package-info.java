/**
 * Settlement of PoolForge epochs on EVM chains with web3j: {@link
 * io.poolforge.chain.evm.EvmSettlementChain} (also found through {@link
 * io.poolforge.chain.evm.EvmSettlementChainProvider} under the id "evm") pays each settlement batch
 * in one transaction through the bundled PoolPayouts contract, or posts the epoch's Merkle root to
 * PoolRewards for workers to claim. The compiled contracts (PoolPayouts, PoolRewards, HashCheck,
 * PoolTestToken) ship as resources in this package. See docs/settlement.md for the protocol and
 * measured gas.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.chain.evm;

import org.jspecify.annotations.NullMarked;
