/**
 * SettlementChain for TON, with its own cell encoding. Filled by a later issue; this module holds
 * no code yet.
 *
 * @since 0.1.0
 */
package io.poolforge.chain.ton;
