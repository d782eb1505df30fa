/**
 * Rewards and settlement: the reward ledger, epoch statements and the settlement chain SPI.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.ledger;

import org.jspecify.annotations.NullMarked;
