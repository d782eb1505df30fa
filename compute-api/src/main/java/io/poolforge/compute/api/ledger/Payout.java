package io.poolforge.compute.api.ledger;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.math.BigInteger;

/**
 * One payout address and an amount in the chain's smallest unit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the payout address
 * @param amount a non-negative amount below 2^256
 * @since 0.1.0
 */
public record Payout(String address, BigInteger amount) {
  /** Validates the fields. */
  public Payout {
    Checks.notBlank("payout.address", address, 128);
    Checks.notNull("payout.amount", amount);
    if (amount.signum() < 0 || amount.bitLength() > 256) {
      throw PoolException.invalidArgument(
          "payout.amount", "is " + amount + ", must be in [0, 2^256)");
    }
  }
}
