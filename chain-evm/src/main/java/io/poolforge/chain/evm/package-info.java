/**
 * SettlementChain for EVM chains (web3j), with the PoolPayouts, PoolRewards and HashCheck
 * contracts. Filled by the EVM settlement issue; this module holds no code yet.
 *
 * @since 0.1.0
 */
package io.poolforge.chain.evm;
