package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.PoolException;
import java.math.BigInteger;
import java.util.List;

/**
 * The output of the {@code modexp} kinds: one result per operation, in order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param results 1 to {@value ModExpInput#MAX_OPS} non-negative results of at most {@value
 *     ModExpOp#MAX_BITS} bits
 * @since 0.1.0
 */
public record ModExpOutput(List<BigInteger> results) {
  /** Validates the results and copies the list. */
  public ModExpOutput {
    if (results == null) {
      throw PoolException.invalidArgument("modexp.results", "must not be null");
    }
    if (results.isEmpty() || results.size() > ModExpInput.MAX_OPS) {
      throw PoolException.invalidArgument(
          "modexp.results",
          "has " + results.size() + " results, must have 1 to " + ModExpInput.MAX_OPS);
    }
    results = List.copyOf(results);
    for (int i = 0; i < results.size(); i++) {
      BigInteger r = results.get(i);
      if (r.signum() < 0 || r.bitLength() > ModExpOp.MAX_BITS) {
        throw PoolException.invalidArgument(
            "modexp.results[" + i + "]", "must be in [0, 2^" + ModExpOp.MAX_BITS + ")");
      }
    }
  }
}
