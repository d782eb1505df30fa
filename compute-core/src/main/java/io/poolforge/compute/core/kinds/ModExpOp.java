package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.PoolException;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * One modular exponentiation, {@code base^exponent mod modulus}, optionally an RSA private-key
 * operation that carries its public exponent so the result can be checked cheaply: {@code
 * result^publicExponent mod modulus == base}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param base in [0, modulus)
 * @param exponent in [0, 2^{@value #MAX_BITS})
 * @param modulus in [1, 2^{@value #MAX_BITS}); odd where the kind is Montgomery-only
 * @param publicExponent for an RSA private-key operation, the public exponent e matching the
 *     private exponent, in [1, 2^{@value #MAX_BITS}); otherwise null
 * @since 0.1.0
 */
public record ModExpOp(
    BigInteger base, BigInteger exponent, BigInteger modulus, @Nullable BigInteger publicExponent) {
  /** The largest operand, in bits. */
  public static final int MAX_BITS = 4096;

  /** Validates the operands. */
  public ModExpOp {
    check("modexp.op", base, exponent, modulus, publicExponent);
  }

  /**
   * A plain modular exponentiation.
   *
   * @param base the base
   * @param exponent the exponent
   * @param modulus the modulus
   * @return the operation
   */
  public static ModExpOp of(BigInteger base, BigInteger exponent, BigInteger modulus) {
    return new ModExpOp(base, exponent, modulus, null);
  }

  /**
   * An RSA private-key operation (signing or decryption) {@code base^d mod n}.
   *
   * @param base the message representative, in [0, n)
   * @param privateExponent d
   * @param modulus n
   * @param publicExponent e, so that {@code (base^d)^e = base mod n}
   * @return the operation
   */
  public static ModExpOp rsa(
      BigInteger base, BigInteger privateExponent, BigInteger modulus, BigInteger publicExponent) {
    return new ModExpOp(base, privateExponent, modulus, publicExponent);
  }

  /**
   * Whether it is an RSA operation with a public exponent.
   *
   * @return true if {@link #publicExponent()} is set
   */
  public boolean isRsa() {
    return publicExponent != null;
  }

  static void check(
      String prefix,
      @Nullable BigInteger base,
      @Nullable BigInteger exponent,
      @Nullable BigInteger modulus,
      @Nullable BigInteger publicExponent) {
    bits(prefix + ".modulus", modulus);
    if (modulus.signum() == 0) {
      throw PoolException.invalidArgument(prefix + ".modulus", "is zero, must be at least 1");
    }
    bits(prefix + ".exponent", exponent);
    bits(prefix + ".base", base);
    if (base.compareTo(modulus) >= 0) {
      throw PoolException.invalidArgument(
          prefix + ".base", "must be below the modulus (reduce it first)");
    }
    if (publicExponent != null) {
      bits(prefix + ".publicExponent", publicExponent);
      if (publicExponent.signum() == 0) {
        throw PoolException.invalidArgument(prefix + ".publicExponent", "is zero, must be >= 1");
      }
    }
  }

  private static void bits(String field, @Nullable BigInteger v) {
    if (v == null) {
      throw PoolException.invalidArgument(field, "must not be null");
    }
    if (v.signum() < 0) {
      throw PoolException.invalidArgument(field, "is negative, must be >= 0");
    }
    if (v.bitLength() > MAX_BITS) {
      throw PoolException.invalidArgument(
          field, "has " + v.bitLength() + " bits, the limit is " + MAX_BITS + " bits");
    }
  }
}
