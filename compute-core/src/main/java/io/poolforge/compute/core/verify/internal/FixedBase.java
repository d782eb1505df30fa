package io.poolforge.compute.core.verify.internal;

import io.poolforge.compute.core.verify.internal.EdPoint.Affine;
import io.poolforge.compute.core.verify.internal.EdPoint.Cached;
import io.poolforge.compute.core.verify.internal.EdPoint.Completed;
import io.poolforge.compute.core.verify.internal.EdPoint.Extended;
import io.poolforge.compute.core.verify.internal.EdPoint.Projective;

/**
 * The base point B of Ed25519 and multiplication by it. {@link #mul} computes [s]B for a secret s
 * in constant time: s is recoded into 64 signed radix-16 digits in [-8, 8], and the sum of the
 * digits' multiples of B is taken from a table of j * 256^i * B (i < 32, 1 <= j <= 8), computed
 * once at class initialization; every lookup reads all eight entries of a row and keeps the wanted
 * one with arithmetic masks, and negates it with a mask, so neither branches nor memory addresses
 * depend on s. {@link #oddMultiples()} and {@link #oddMultiplesHigh()} serve variable-time
 * verification: the odd multiples B, 3B, ..., 127B and the same of 2^128 B.
 *
 * <p>Thread-safe: the tables are never written after class initialization.
 *
 * @since 0.1.0
 */
final class FixedBase {
  /** The encoding of B: y = 4/5, x even (RFC 8032 section 5.1). */
  static final byte[] ENCODED;

  /** B itself. */
  static final Extended B;

  private static final Affine[][] COMB = new Affine[32][8];
  private static final Affine[] ODD = new Affine[64];
  private static final Affine[] ODD_HIGH = new Affine[64];

  static {
    long[] y = Field25519.create();
    Field25519.invert(y, Field25519.of(5));
    Field25519.mul(y, y, Field25519.of(4));
    Extended b = EdPoint.decode(y, 0);
    if (b == null) {
      throw new IllegalStateException("4/5 is not the y of a curve point");
    }
    B = b;
    ENCODED = EdPoint.encode(b);
    Extended[] comb = new Extended[32 * 8];
    Extended rowBase = new Extended();
    rowBase.set(b);
    for (int i = 0; i < 32; i++) {
      Cached step = Cached.of(rowBase);
      Extended cur = new Extended();
      cur.set(rowBase);
      for (int j = 0; j < 8; j++) {
        comb[i * 8 + j] = copy(cur);
        cur = sum(cur, step);
      }
      for (int k = 0; k < 8; k++) {
        rowBase = twice(rowBase);
      }
    }
    Affine[] flat = toAffine(comb);
    for (int i = 0; i < 32; i++) {
      System.arraycopy(flat, i * 8, COMB[i], 0, 8);
    }
    System.arraycopy(toAffine(oddMultiples(b, 64)), 0, ODD, 0, 64);
    Extended high = copy(b);
    for (int i = 0; i < 128; i++) {
      high = twice(high);
    }
    System.arraycopy(toAffine(oddMultiples(high, 64)), 0, ODD_HIGH, 0, 64);
  }

  /** P, 3P, 5P, ..., (2n - 1)P. */
  static Extended[] oddMultiples(Extended p, int n) {
    Extended[] odd = new Extended[n];
    Cached twoP = Cached.of(twice(p));
    odd[0] = copy(p);
    for (int i = 1; i < n; i++) {
      odd[i] = sum(odd[i - 1], twoP);
    }
    return odd;
  }

  private FixedBase() {}

  static Extended copy(Extended p) {
    Extended q = new Extended();
    q.set(p);
    return q;
  }

  static Extended sum(Extended p, Cached q) {
    Completed c = new Completed();
    EdPoint.plus(c, p, q);
    Extended r = new Extended();
    r.set(c);
    return r;
  }

  static Extended twice(Extended p) {
    Projective pp = new Projective();
    pp.set(p);
    Completed c = new Completed();
    EdPoint.dbl(c, pp);
    Extended r = new Extended();
    r.set(c);
    return r;
  }

  /** Affine forms of many points with one inversion (Montgomery's trick). */
  private static Affine[] toAffine(Extended[] points) {
    int n = points.length;
    long[][] prefix = new long[n][];
    long[] acc = Field25519.of(1);
    for (int i = 0; i < n; i++) {
      prefix[i] = acc.clone();
      Field25519.mul(acc, acc, points[i].z);
    }
    long[] inv = Field25519.create();
    Field25519.invert(inv, acc);
    Affine[] out = new Affine[n];
    long[] zi = Field25519.create();
    for (int i = n - 1; i >= 0; i--) {
      Field25519.mul(zi, inv, prefix[i]); // 1 / z_i
      Field25519.mul(inv, inv, points[i].z); // 1 / (z_0 ... z_{i-1})
      Extended p = points[i];
      Extended norm = new Extended();
      Field25519.mul(norm.x, p.x, zi);
      Field25519.mul(norm.y, p.y, zi);
      Field25519.one(norm.z);
      Field25519.mul(norm.t, norm.x, norm.y);
      out[i] = Affine.ofNormalized(norm);
    }
    return out;
  }

  /** The odd multiples B, 3B, ..., 127B. Public data only; callers must not modify them. */
  static Affine[] oddMultiples() {
    return ODD;
  }

  /** The odd multiples of 2^128 B, as {@link #oddMultiples()}. */
  static Affine[] oddMultiplesHigh() {
    return ODD_HIGH;
  }

  /** Signed radix-16 digits of a 32-byte scalar below 2^255: 64 digits in [-8, 8]. */
  static byte[] radix16(byte[] s) {
    byte[] e = new byte[64];
    for (int i = 0; i < 32; i++) {
      e[2 * i] = (byte) (s[i] & 15);
      e[2 * i + 1] = (byte) ((s[i] >>> 4) & 15);
    }
    int carry = 0;
    for (int i = 0; i < 63; i++) {
      int v = e[i] + carry;
      carry = (v + 8) >> 4;
      e[i] = (byte) (v - (carry << 4));
    }
    e[63] = (byte) (e[63] + carry);
    return e;
  }

  /** r = digit * 256^row * B, digit in [-8, 8], reading the whole row; constant time. */
  private static void select(Affine r, Affine negated, int row, int digit) {
    int negative = digit >> 31; // -1 when negative
    int abs = (digit ^ negative) - negative;
    r.setIdentity();
    Affine[] entries = COMB[row];
    for (int j = 0; j < 8; j++) {
      long mask = ((long) (abs ^ (j + 1)) - 1) >> 63;
      r.cmov(entries[j], mask);
    }
    Field25519.copy(negated.yPlusX, r.yMinusX);
    Field25519.copy(negated.yMinusX, r.yPlusX);
    Field25519.neg(negated.xy2d, r.xy2d);
    r.cmov(negated, negative);
  }

  /**
   * [s]B for a 32-byte little-endian scalar s below 2^255 (a clamped secret, or any value reduced
   * mod L). Constant time.
   */
  static Extended mul(byte[] s) {
    byte[] e = radix16(s);
    Extended h = Extended.identity();
    Completed c = new Completed();
    Projective p = new Projective();
    Affine t = new Affine();
    Affine negated = new Affine();
    for (int i = 1; i < 64; i += 2) {
      select(t, negated, i / 2, e[i]);
      EdPoint.plus(c, h, t);
      h.set(c);
    }
    p.set(h);
    EdPoint.dbl(c, p);
    p.set(c);
    EdPoint.dbl(c, p);
    p.set(c);
    EdPoint.dbl(c, p);
    p.set(c);
    EdPoint.dbl(c, p);
    h.set(c);
    for (int i = 0; i < 64; i += 2) {
      select(t, negated, i / 2, e[i]);
      EdPoint.plus(c, h, t);
      h.set(c);
    }
    return h;
  }
}
