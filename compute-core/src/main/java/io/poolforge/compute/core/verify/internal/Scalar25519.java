package io.poolforge.compute.core.verify.internal;

import java.math.BigInteger;

/**
 * Arithmetic on scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493
 * of Ed25519: reduction of a 64-byte SHA-512 output and the signing equation S = (k * a + r) mod L.
 * Scalars travel as 32-byte little-endian arrays; inside, values are held as 25 signed limbs of 21
 * bits in {@code long}s, and 2^252 is folded down as -(L - 2^252).
 *
 * <p>{@link #reduce} and {@link #mulAdd} run in the same time whatever the values (fixed loops, no
 * branches or indices that depend on them): they handle the signing secret. {@link #isCanonical}
 * handles only public data and may return early. Static and stateless: thread-safe.
 *
 * @since 0.1.0
 */
final class Scalar25519 {
  /** The group order L. */
  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final int BITS = 21;
  private static final long MASK = (1L << BITS) - 1;
  private static final int LIMBS = 25; // 525 bits: room for a 512-bit value and a sum on top
  private static final int LOW = 12; // limbs below 2^252

  /** The 21-bit digits of L - 2^252 (6 digits, 126 bits). */
  private static final long[] C = digits(L.subtract(BigInteger.ONE.shiftLeft(252)), 6);

  private static final long[] L1 = digits(L, LOW + 1);
  private static final long[] L2 = digits(L.shiftLeft(1), LOW + 1);

  private static final byte[] L_BYTES = toLittleEndian(L);

  private Scalar25519() {}

  private static long[] digits(BigInteger v, int n) {
    long[] d = new long[n];
    for (int i = 0; i < n; i++) {
      d[i] = v.shiftRight(BITS * i).longValue() & MASK;
    }
    if (v.shiftRight(BITS * n).signum() != 0) {
      throw new IllegalStateException("does not fit " + n + " digits");
    }
    return d;
  }

  static byte[] toLittleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  static BigInteger fromLittleEndian(byte[] le, int off, int len) {
    byte[] be = new byte[len + 1];
    for (int i = 0; i < len; i++) {
      be[len - i] = le[off + i];
    }
    return new BigInteger(be);
  }

  /** Whether the 32 bytes at {@code s[off..]} encode an integer below L. Variable time. */
  static boolean isCanonical(byte[] s, int off) {
    for (int i = 31; i >= 0; i--) {
      int a = s[off + i] & 0xFF;
      int b = L_BYTES[i] & 0xFF;
      if (a != b) {
        return a < b;
      }
    }
    return false; // equal to L
  }

  /** Loads {@code len} bytes, little-endian, into 21-bit limbs from index 0. */
  private static void load(long[] s, byte[] in, int off, int len) {
    long acc = 0;
    int accBits = 0;
    int limb = 0;
    for (int i = 0; i < len; i++) {
      acc |= (long) (in[off + i] & 0xFF) << accBits;
      accBits += 8;
      if (accBits >= BITS) {
        s[limb++] = acc & MASK;
        acc >>>= BITS;
        accBits -= BITS;
      }
    }
    s[limb] = acc;
  }

  /** x mod L of a 64-byte little-endian integer (a SHA-512 output), as 32 bytes. */
  static byte[] reduce(byte[] in64) {
    if (in64.length != 64) {
      throw new IllegalArgumentException("reduce takes 64 bytes, got " + in64.length);
    }
    long[] s = new long[LIMBS];
    load(s, in64, 0, 64);
    return finish(s);
  }

  /** (k * a + r) mod L for 32-byte little-endian k, a and r (any values below 2^256). */
  static byte[] mulAdd(byte[] k, byte[] a, byte[] r) {
    long[] x = new long[LOW + 1];
    long[] y = new long[LOW + 1];
    long[] s = new long[LIMBS];
    load(x, k, 0, 32);
    load(y, a, 0, 32);
    load(s, r, 0, 32);
    for (int i = 0; i <= LOW; i++) {
      long xi = x[i];
      for (int j = 0; j <= LOW; j++) {
        s[i + j] += xi * y[j];
      }
    }
    return finish(s);
  }

  /** Reduces 25 limbs (each below 2^47 in magnitude) mod L and encodes the result. */
  private static byte[] finish(long[] s) {
    normalize(s);
    for (int round = 0; round < 4; round++) {
      fold(s);
      normalize(s);
    }
    // now |value| < 2^253 in limbs 0..12 (limbs 13 and up are 0); add 2L to make it positive,
    // floor-carry, then subtract 2L and L where they fit: the result is in [0, L)
    for (int i = 0; i <= LOW; i++) {
      s[i] += L2[i];
    }
    floorCarry(s);
    conditionalSubtract(s, L2);
    conditionalSubtract(s, L1);
    byte[] out = new byte[32];
    long acc = 0;
    int accBits = 0;
    int pos = 0;
    for (int i = 0; i <= LOW; i++) {
      acc |= s[i] << accBits;
      accBits += BITS;
      while (accBits >= 8 && pos < 32) {
        out[pos++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    return out;
  }

  /** Signed carries: limbs 0..23 into [-2^20, 2^20), the rest into limb 24. */
  private static void normalize(long[] s) {
    for (int i = 0; i < LIMBS - 1; i++) {
      long c = (s[i] + (1L << (BITS - 1))) >> BITS;
      s[i + 1] += c;
      s[i] -= c << BITS;
    }
  }

  /** Replaces every limb i >= 12 by -(L - 2^252) times it, 12 limbs lower: 2^252 = -(L - 2^252). */
  private static void fold(long[] s) {
    for (int i = 0; i < LIMBS - LOW; i++) {
      long hi = s[LOW + i];
      s[LOW + i] = 0;
      for (int j = 0; j < C.length; j++) {
        s[i + j] -= hi * C[j];
      }
    }
  }

  /** Floor carries over limbs 0..11 into limb 12 (for a non-negative value). */
  private static void floorCarry(long[] s) {
    for (int i = 0; i < LOW; i++) {
      long c = s[i] >> BITS;
      s[i + 1] += c;
      s[i] -= c << BITS;
    }
  }

  /** s = s - m where that is not negative, else s unchanged; limbs 0..12, constant time. */
  private static void conditionalSubtract(long[] s, long[] m) {
    long[] t = new long[LOW + 1];
    for (int i = 0; i <= LOW; i++) {
      t[i] = s[i] - m[i];
    }
    floorCarry(t);
    long keep = t[LOW] >> 63; // all ones when s < m
    for (int i = 0; i <= LOW; i++) {
      s[i] = (s[i] & keep) | (t[i] & ~keep);
    }
  }
}
