package io.poolforge.compute.core.verify.internal;

import java.math.BigInteger;

/**
 * Arithmetic in the field of integers modulo p = 2^255 - 19, on elements held as ten signed {@code
 * long} limbs of alternately 26 and 25 bits (radix 2^25.5): limb i weighs 2^ceil(25.5 i). Limb
 * products fit a {@code long} as long as every input limb is below about 2^27 in magnitude; {@link
 * #mul} and {@link #square} leave their results carried (limbs within 2^25 or 2^24, plus a little),
 * so sums and differences of up to four carried values may be multiplied again without a carry.
 * {@link #add} and {@link #sub} do not carry.
 *
 * <p>All operations take the same time whatever the values (no branches or memory indices depend on
 * them), so they are fit for secrets; {@link #isZero} and the other predicates are too. Static and
 * stateless: thread-safe as long as callers do not share the arrays they pass.
 *
 * @since 0.1.0
 */
final class Field25519 {
  /** Limbs per element. */
  static final int LIMBS = 10;

  /** p = 2^255 - 19. */
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private static final long MASK26 = (1L << 26) - 1;
  private static final long MASK25 = (1L << 25) - 1;

  private Field25519() {}

  static long[] create() {
    return new long[LIMBS];
  }

  static long[] of(long small) {
    long[] h = new long[LIMBS];
    h[0] = small;
    return h;
  }

  static long[] of(BigInteger v) {
    byte[] le = new byte[32];
    byte[] be = v.mod(P).toByteArray();
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    long[] h = new long[LIMBS];
    fromBytes(h, le, 0);
    return h;
  }

  static BigInteger toBigInteger(long[] f) {
    byte[] le = new byte[32];
    toBytes(le, 0, f);
    byte[] be = new byte[33];
    for (int i = 0; i < 32; i++) {
      be[32 - i] = le[i];
    }
    return new BigInteger(be);
  }

  static void copy(long[] h, long[] f) {
    System.arraycopy(f, 0, h, 0, LIMBS);
  }

  static void zero(long[] h) {
    java.util.Arrays.fill(h, 0L);
  }

  static void one(long[] h) {
    java.util.Arrays.fill(h, 0L);
    h[0] = 1;
  }

  static void add(long[] h, long[] f, long[] g) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = f[i] + g[i];
    }
  }

  static void sub(long[] h, long[] f, long[] g) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = f[i] - g[i];
    }
  }

  static void neg(long[] h, long[] f) {
    for (int i = 0; i < LIMBS; i++) {
      h[i] = -f[i];
    }
  }

  /** Replaces f with g where {@code mask} is all ones; leaves it where {@code mask} is 0. */
  static void cmov(long[] f, long[] g, long mask) {
    for (int i = 0; i < LIMBS; i++) {
      f[i] ^= (f[i] ^ g[i]) & mask;
    }
  }

  /** h = f * g. h may be f or g. */
  static void mul(long[] h, long[] f, long[] g) {
    long f0 = f[0],
        f1 = f[1],
        f2 = f[2],
        f3 = f[3],
        f4 = f[4],
        f5 = f[5],
        f6 = f[6],
        f7 = f[7],
        f8 = f[8],
        f9 = f[9];
    long g0 = g[0],
        g1 = g[1],
        g2 = g[2],
        g3 = g[3],
        g4 = g[4],
        g5 = g[5],
        g6 = g[6],
        g7 = g[7],
        g8 = g[8],
        g9 = g[9];
    long g1n = 19 * g1,
        g2n = 19 * g2,
        g3n = 19 * g3,
        g4n = 19 * g4,
        g5n = 19 * g5,
        g6n = 19 * g6,
        g7n = 19 * g7,
        g8n = 19 * g8,
        g9n = 19 * g9;
    long f1d = 2 * f1, f3d = 2 * f3, f5d = 2 * f5, f7d = 2 * f7, f9d = 2 * f9;
    long h0 =
        f0 * g0 + f1d * g9n + f2 * g8n + f3d * g7n + f4 * g6n + f5d * g5n + f6 * g4n + f7d * g3n
            + f8 * g2n + f9d * g1n;
    long h1 =
        f0 * g1 + f1 * g0 + f2 * g9n + f3 * g8n + f4 * g7n + f5 * g6n + f6 * g5n + f7 * g4n
            + f8 * g3n + f9 * g2n;
    long h2 =
        f0 * g2 + f1d * g1 + f2 * g0 + f3d * g9n + f4 * g8n + f5d * g7n + f6 * g6n + f7d * g5n
            + f8 * g4n + f9d * g3n;
    long h3 =
        f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9n + f5 * g8n + f6 * g7n + f7 * g6n + f8 * g5n
            + f9 * g4n;
    long h4 =
        f0 * g4 + f1d * g3 + f2 * g2 + f3d * g1 + f4 * g0 + f5d * g9n + f6 * g8n + f7d * g7n
            + f8 * g6n + f9d * g5n;
    long h5 =
        f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9n + f7 * g8n + f8 * g7n
            + f9 * g6n;
    long h6 =
        f0 * g6 + f1d * g5 + f2 * g4 + f3d * g3 + f4 * g2 + f5d * g1 + f6 * g0 + f7d * g9n
            + f8 * g8n + f9d * g7n;
    long h7 =
        f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9n
            + f9 * g8n;
    long h8 =
        f0 * g8 + f1d * g7 + f2 * g6 + f3d * g5 + f4 * g4 + f5d * g3 + f6 * g2 + f7d * g1 + f8 * g0
            + f9d * g9n;
    long h9 =
        f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1
            + f9 * g0;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }

  /** h = f^2. h may be f. */
  static void square(long[] h, long[] f) {
    long f0 = f[0],
        f1 = f[1],
        f2 = f[2],
        f3 = f[3],
        f4 = f[4],
        f5 = f[5],
        f6 = f[6],
        f7 = f[7],
        f8 = f[8],
        f9 = f[9];
    long f5x19 = 19 * f5,
        f6x19 = 19 * f6,
        f7x19 = 19 * f7,
        f8x19 = 19 * f8,
        f9x19 = 19 * f9,
        f3x2 = 2 * f3,
        f5x2 = 2 * f5,
        f7x2 = 2 * f7,
        f7x38 = 38 * f7,
        f9x38 = 38 * f9,
        f0d = 2 * f0,
        f1d = 2 * f1,
        f2d = 2 * f2,
        f3d = 2 * f3,
        f4d = 2 * f4,
        f5d = 2 * f5,
        f6d = 2 * f6,
        f7d = 2 * f7,
        f8d = 2 * f8,
        f9d = 2 * f9;
    long h0 = f0 * f0 + f1d * f9x38 + f2d * f8x19 + f3d * f7x38 + f4d * f6x19 + f5d * f5x19;
    long h1 = f0d * f1 + f2d * f9x19 + f3d * f8x19 + f4d * f7x19 + f5d * f6x19;
    long h2 = f0d * f2 + f1d * f1 + f3d * f9x38 + f4d * f8x19 + f5d * f7x38 + f6 * f6x19;
    long h3 = f0d * f3 + f1d * f2 + f4d * f9x19 + f5d * f8x19 + f6d * f7x19;
    long h4 = f0d * f4 + f1d * f3x2 + f2 * f2 + f5d * f9x38 + f6d * f8x19 + f7d * f7x19;
    long h5 = f0d * f5 + f1d * f4 + f2d * f3 + f6d * f9x19 + f7d * f8x19;
    long h6 = f0d * f6 + f1d * f5x2 + f2d * f4 + f3d * f3 + f7d * f9x38 + f8 * f8x19;
    long h7 = f0d * f7 + f1d * f6 + f2d * f5 + f3d * f4 + f8d * f9x19;
    long h8 = f0d * f8 + f1d * f7x2 + f2d * f6 + f3d * f5x2 + f4 * f4 + f9d * f9x19;
    long h9 = f0d * f9 + f1d * f8 + f2d * f7 + f3d * f6 + f4d * f5;
    carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
  }

  /** h = f * n for a small non-negative n (below 2^20). */
  static void mulSmall(long[] h, long[] f, long n) {
    carry(
        h, f[0] * n, f[1] * n, f[2] * n, f[3] * n, f[4] * n, f[5] * n, f[6] * n, f[7] * n, f[8] * n,
        f[9] * n);
  }

  /** Carries signed limbs of up to 2^63 into balanced limbs (|limb| within 2^25 or 2^24). */
  private static void carry(
      long[] h,
      long h0,
      long h1,
      long h2,
      long h3,
      long h4,
      long h5,
      long h6,
      long h7,
      long h8,
      long h9) {
    long c;
    c = (h0 + (1L << 25)) >> 26;
    h1 += c;
    h0 -= c << 26;
    c = (h1 + (1L << 24)) >> 25;
    h2 += c;
    h1 -= c << 25;
    c = (h2 + (1L << 25)) >> 26;
    h3 += c;
    h2 -= c << 26;
    c = (h3 + (1L << 24)) >> 25;
    h4 += c;
    h3 -= c << 25;
    c = (h4 + (1L << 25)) >> 26;
    h5 += c;
    h4 -= c << 26;
    c = (h5 + (1L << 24)) >> 25;
    h6 += c;
    h5 -= c << 25;
    c = (h6 + (1L << 25)) >> 26;
    h7 += c;
    h6 -= c << 26;
    c = (h7 + (1L << 24)) >> 25;
    h8 += c;
    h7 -= c << 25;
    c = (h8 + (1L << 25)) >> 26;
    h9 += c;
    h8 -= c << 26;
    c = (h9 + (1L << 24)) >> 25;
    h0 += c * 19;
    h9 -= c << 25;
    c = (h0 + (1L << 25)) >> 26;
    h1 += c;
    h0 -= c << 26;
    h[0] = h0;
    h[1] = h1;
    h[2] = h2;
    h[3] = h3;
    h[4] = h4;
    h[5] = h5;
    h[6] = h6;
    h[7] = h7;
    h[8] = h8;
    h[9] = h9;
  }

  private static int bits(int limb) {
    return (limb & 1) == 0 ? 26 : 25;
  }

  /**
   * Reads 255 bits, little-endian, from {@code in[off..off+31]}; the top bit of the last byte is
   * ignored. The value may be up to 2^255 - 1, that is not reduced: callers that must reject
   * non-canonical encodings check that themselves.
   */
  static void fromBytes(long[] h, byte[] in, int off) {
    long acc = 0;
    int accBits = 0;
    int pos = off;
    for (int i = 0; i < LIMBS; i++) {
      int n = bits(i);
      while (accBits < n) {
        long b = in[pos++] & 0xFF;
        if (pos == off + 32) {
          b &= 0x7F;
        }
        acc |= b << accBits;
        accBits += 8;
      }
      h[i] = acc & ((1L << n) - 1);
      acc >>>= n;
      accBits -= n;
    }
  }

  /** Writes the canonical (fully reduced) 32-byte little-endian encoding of f. */
  static void toBytes(byte[] out, int off, long[] f) {
    long[] h = f.clone();
    // three floor-carry passes: the value ends in [0, 2^255) with every limb in its range
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < LIMBS; i++) {
        int n = bits(i);
        long c = h[i] >> n;
        h[i] -= c << n;
        if (i < LIMBS - 1) {
          h[i + 1] += c;
        } else {
          h[0] += 19 * c;
        }
      }
    }
    // subtract p when the value is >= p, i.e. when value + 19 reaches 2^255
    long[] t = h.clone();
    t[0] += 19;
    long c = 0;
    for (int i = 0; i < LIMBS; i++) {
      int n = bits(i);
      t[i] += c;
      c = t[i] >> n;
      t[i] &= (1L << n) - 1;
    }
    long mask = -c; // c is 0 or 1: all ones when value >= p
    for (int i = 0; i < LIMBS; i++) {
      h[i] ^= (h[i] ^ t[i]) & mask;
    }
    long acc = 0;
    int accBits = 0;
    int pos = off;
    for (int i = 0; i < LIMBS; i++) {
      acc |= h[i] << accBits;
      accBits += bits(i);
      while (accBits >= 8) {
        out[pos++] = (byte) acc;
        acc >>>= 8;
        accBits -= 8;
      }
    }
    out[pos] = (byte) acc;
  }

  static byte[] toBytes(long[] f) {
    byte[] out = new byte[32];
    toBytes(out, 0, f);
    return out;
  }

  /** 1 if the canonical value of f is odd ("negative" in RFC 8032's terms), else 0. */
  static int isNegative(long[] f) {
    byte[] s = toBytes(f);
    return s[0] & 1;
  }

  /** 1 if f is 0 mod p, else 0; constant time. */
  static int isZero(long[] f) {
    byte[] s = toBytes(f);
    int acc = 0;
    for (byte b : s) {
      acc |= b;
    }
    return ((acc & 0xFF) - 1) >>> 31;
  }

  /** 1 if f and g are equal mod p, else 0; constant time. */
  static int equal(long[] f, long[] g) {
    long[] d = new long[LIMBS];
    sub(d, f, g);
    return isZero(d);
  }

  /** h = f^(2^n), n >= 1. */
  private static void squareTimes(long[] h, long[] f, int n) {
    square(h, f);
    for (int i = 1; i < n; i++) {
      square(h, h);
    }
  }

  /**
   * Returns f^(2^250 - 1) in {@code out} and f^11 in {@code f11}: the common start of the
   * exponentiations for inversion and square roots.
   */
  private static void pow2250(long[] out, long[] f11, long[] f) {
    long[] t0 = new long[LIMBS];
    long[] t1 = new long[LIMBS];
    long[] t2 = new long[LIMBS];
    square(t0, f); // f^2
    squareTimes(t1, t0, 2); // f^8
    mul(t1, f, t1); // f^9
    mul(f11, t0, t1); // f^11
    square(t0, f11); // f^22
    mul(t0, t1, t0); // f^31 = f^(2^5 - 1)
    squareTimes(t1, t0, 5);
    mul(t0, t1, t0); // 2^10 - 1
    squareTimes(t1, t0, 10);
    mul(t1, t1, t0); // 2^20 - 1
    squareTimes(t2, t1, 20);
    mul(t1, t2, t1); // 2^40 - 1
    squareTimes(t1, t1, 10);
    mul(t0, t1, t0); // 2^50 - 1
    squareTimes(t1, t0, 50);
    mul(t1, t1, t0); // 2^100 - 1
    squareTimes(t2, t1, 100);
    mul(t1, t2, t1); // 2^200 - 1
    squareTimes(t1, t1, 50);
    mul(out, t1, t0); // 2^250 - 1
  }

  /** h = 1 / f (0 for f = 0), as f^(p - 2) = f^(2^255 - 21). */
  static void invert(long[] h, long[] f) {
    long[] t = new long[LIMBS];
    long[] f11 = new long[LIMBS];
    pow2250(t, f11, f);
    squareTimes(t, t, 5); // 2^255 - 32
    mul(h, t, f11); // 2^255 - 21
  }

  /** h = f^((p - 5) / 8) = f^(2^252 - 3). */
  static void pow22523(long[] h, long[] f) {
    long[] t = new long[LIMBS];
    long[] f11 = new long[LIMBS];
    pow2250(t, f11, f);
    squareTimes(t, t, 2); // 2^252 - 4
    mul(h, t, f); // 2^252 - 3
  }
}
