/**
 * Benchmarks of the reward ledger: epoch close (Merkle tree and proofs) and credit throughput.
 *
 * @since 0.1.0
 */
package io.poolforge.benchmarks.ledger;
