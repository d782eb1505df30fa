/**
 * The reward ledger: per-task credits with an efficiency bonus, epochs, OpenZeppelin-compatible
 * Merkle statements, and idempotent settlement of each epoch on every configured chain.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.ledger;

import org.jspecify.annotations.NullMarked;
