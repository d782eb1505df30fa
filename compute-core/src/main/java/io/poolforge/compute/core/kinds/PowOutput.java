package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;

/**
 * The output of the {@code pow} kind.
 *
 * <p>Immutable and thread-safe.
 *
 * @param outcome what the search found
 * @param nonce the nonce for FOUND and BEST, in [0, 2^32); −1 for NONE
 * @param hash the raw double SHA-256 of the header with that nonce (32 bytes, digest byte order;
 *     block explorers print it reversed), or empty for NONE
 * @since 0.1.0
 */
public record PowOutput(Outcome outcome, long nonce, Bytes hash) {
  /** The output when nothing met the target and the best hash was not asked for. */
  public static final PowOutput NONE = new PowOutput(Outcome.NONE, -1, Bytes.EMPTY);

  /** Validates the fields. */
  public PowOutput {
    if (outcome == null) {
      throw PoolException.invalidArgument("pow.outcome", "must not be null");
    }
    if (hash == null) {
      throw PoolException.invalidArgument("pow.hash", "must not be null");
    }
    if (outcome == Outcome.NONE) {
      if (nonce != -1 || !hash.isEmpty()) {
        throw PoolException.invalidArgument("pow.nonce", "must be -1 with an empty hash for NONE");
      }
    } else {
      if (nonce < 0 || nonce >= PowInput.NONCE_LIMIT) {
        throw PoolException.invalidArgument(
            "pow.nonce", "is " + nonce + ", must be in [0, " + PowInput.NONCE_LIMIT + ")");
      }
      if (hash.size() != 32) {
        throw PoolException.invalidArgument("pow.hash", "is " + hash.size() + " bytes, must be 32");
      }
    }
  }

  /**
   * A winning nonce.
   *
   * @param nonce the lowest nonce of the range that meets the target
   * @param hash its hash
   * @return the output
   */
  public static PowOutput found(long nonce, Bytes hash) {
    return new PowOutput(Outcome.FOUND, nonce, hash);
  }

  /**
   * The best miss.
   *
   * @param nonce the nonce with the lowest hash (the lowest such nonce on a tie)
   * @param hash its hash
   * @return the output
   */
  public static PowOutput best(long nonce, Bytes hash) {
    return new PowOutput(Outcome.BEST, nonce, hash);
  }

  /**
   * What a search found.
   *
   * @since 0.1.0
   */
  public enum Outcome {
    /** The lowest nonce of the range whose hash meets the target. */
    FOUND,
    /** No nonce met the target; the nonce with the lowest hash. */
    BEST,
    /** No nonce met the target and the best was not asked for. */
    NONE
  }
}
