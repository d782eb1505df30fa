package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * The input of the {@code pow} kind: search the nonces in [{@code start}, {@code end}) of an
 * 80-byte block header for one whose double SHA-256, read as a little-endian 256-bit number, is at
 * most {@code target} (the Bitcoin rule; the nonce is written little-endian at offset 76).
 *
 * <p>Immutable and thread-safe.
 *
 * @param header the {@value #HEADER_BYTES}-byte header; bytes 76-79 are replaced by each nonce
 * @param start the first nonce, in [0, 2^32)
 * @param end one past the last nonce, in (start, 2^32]
 * @param target the 256-bit target as {@value #TARGET_BYTES} big-endian bytes, not zero
 * @param reportBest whether to report the lowest hash found when no nonce meets the target; GPU
 *     backends skip that bookkeeping when it is false
 * @param carried the best result of an earlier part of the range, carried by a resumed task (only
 *     with {@code reportBest}); its nonce lies before {@code start} and its hash misses the target
 * @since 0.1.0
 */
public record PowInput(
    Bytes header,
    long start,
    long end,
    Bytes target,
    boolean reportBest,
    @Nullable PowOutput carried) {
  /** The header size. */
  public static final int HEADER_BYTES = 80;

  /** The offset of the little-endian nonce in the header. */
  public static final int NONCE_OFFSET = 76;

  /** The target size. */
  public static final int TARGET_BYTES = 32;

  /** One past the largest nonce. */
  public static final long NONCE_LIMIT = 1L << 32;

  /** Validates the fields. */
  public PowInput {
    if (header == null) {
      throw PoolException.invalidArgument("pow.header", "must not be null");
    }
    if (header.size() != HEADER_BYTES) {
      throw PoolException.invalidArgument(
          "pow.header", "is " + header.size() + " bytes, must be exactly " + HEADER_BYTES);
    }
    if (start < 0 || start >= NONCE_LIMIT) {
      throw PoolException.invalidArgument(
          "pow.start", "is " + start + ", must be in [0, " + NONCE_LIMIT + ")");
    }
    if (end <= start || end > NONCE_LIMIT) {
      throw PoolException.invalidArgument(
          "pow.end",
          "is "
              + end
              + ", must be in (start="
              + start
              + ", "
              + NONCE_LIMIT
              + "] (non-empty range)");
    }
    if (target == null) {
      throw PoolException.invalidArgument("pow.target", "must not be null");
    }
    if (target.size() != TARGET_BYTES) {
      throw PoolException.invalidArgument(
          "pow.target", "is " + target.size() + " bytes, must be exactly " + TARGET_BYTES);
    }
    if (new BigInteger(1, target.toByteArray()).signum() == 0) {
      throw PoolException.invalidArgument("pow.target", "is zero, must be at least 1");
    }
    if (carried != null) {
      if (!reportBest) {
        throw PoolException.invalidArgument(
            "pow.carried", "is only allowed when reportBest is true");
      }
      if (carried.outcome() != PowOutput.Outcome.BEST) {
        throw PoolException.invalidArgument(
            "pow.carried", "is " + carried.outcome() + ", must be BEST");
      }
      if (carried.nonce() >= start) {
        throw PoolException.invalidArgument(
            "pow.carried.nonce", "is " + carried.nonce() + ", must be below start=" + start);
      }
      if (PowKind.meetsTarget(carried.hash().toByteArray(), target.toByteArray())) {
        throw PoolException.invalidArgument(
            "pow.carried.hash", "meets the target; a solved search has no carried best");
      }
    }
  }

  /**
   * A search that reports the best hash when nothing meets the target.
   *
   * @param header the header
   * @param start the first nonce
   * @param end one past the last nonce
   * @param target the target
   * @return the input
   */
  public static PowInput of(Bytes header, long start, long end, Bytes target) {
    return new PowInput(header, start, end, target, true, null);
  }

  /**
   * The target encoded by a header's compact "bits" field: mantissa × 256^(exponent − 3).
   *
   * @param bits the compact form, such as 0x1d00ffff
   * @return the 32-byte big-endian target
   */
  public static Bytes targetFromBits(int bits) {
    int exponent = bits >>> 24;
    long mantissa = bits & 0x007fffffL;
    if (mantissa == 0 || (bits & 0x00800000) != 0 || exponent > 32) {
      throw PoolException.invalidArgument(
          "pow.bits",
          String.format(
              "0x%08x is not a positive compact target with exponent <= 32", bits & 0xffffffffL));
    }
    BigInteger t =
        exponent <= 3
            ? BigInteger.valueOf(mantissa >>> (8 * (3 - exponent)))
            : BigInteger.valueOf(mantissa).shiftLeft(8 * (exponent - 3));
    return targetOf(t);
  }

  /**
   * Encodes a 256-bit target.
   *
   * @param target in [1, 2^256)
   * @return 32 big-endian bytes
   */
  public static Bytes targetOf(BigInteger target) {
    if (target.signum() <= 0 || target.bitLength() > 256) {
      throw PoolException.invalidArgument("pow.target", "must be in [1, 2^256), got " + target);
    }
    byte[] mag = Wire.magnitude(target);
    byte[] out = new byte[TARGET_BYTES];
    System.arraycopy(mag, 0, out, TARGET_BYTES - mag.length, mag.length);
    return Bytes.wrap(out);
  }

  /**
   * The number of nonces in the range.
   *
   * @return end − start
   */
  public long length() {
    return end - start;
  }
}
