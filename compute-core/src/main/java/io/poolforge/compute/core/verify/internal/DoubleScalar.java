package io.poolforge.compute.core.verify.internal;

import io.poolforge.compute.core.verify.internal.EdPoint.Affine;
import io.poolforge.compute.core.verify.internal.EdPoint.Cached;
import io.poolforge.compute.core.verify.internal.EdPoint.Completed;
import io.poolforge.compute.core.verify.internal.EdPoint.Extended;
import io.poolforge.compute.core.verify.internal.EdPoint.Projective;

/**
 * The verification equation's multiplication [s]B - [k]A for public s, k and A, in variable time.
 * Each scalar is split at bit 128 (s = s0 + 2^128 s1), so that [s]B = [s0]B + [s1](2^128 B) and
 * likewise for A: four half-length scalars, each recoded in width-w non-adjacent form (wNAF: odd
 * digits, at least w - 1 zeros after each), share one chain of about 128 doublings (Straus-Shamir).
 * The odd multiples of B and 2^128 B come from {@link FixedBase} (w = 8); those of A and 2^128 A
 * from a per-key {@link Table} (w = 5), built once per public key.
 *
 * <p>Only for public data: time depends on the scalars. Static methods are thread-safe; a {@link
 * Table} is immutable after construction.
 *
 * @since 0.1.0
 */
final class DoubleScalar {
  static final int WIDTH_B = 8;
  static final int WIDTH_A = 5;
  private static final int DIGITS = 256 + 8;

  private DoubleScalar() {}

  /** The odd multiples A, 3A, ..., 15A and the same of 2^128 A, ready to add. */
  static final class Table {
    private final Cached[] low = new Cached[1 << (WIDTH_A - 2)];
    private final Cached[] high = new Cached[1 << (WIDTH_A - 2)];

    Table(Extended a) {
      Extended h = FixedBase.copy(a);
      for (int i = 0; i < 128; i++) {
        h = FixedBase.twice(h);
      }
      Extended[] lowOdd = FixedBase.oddMultiples(a, low.length);
      Extended[] highOdd = FixedBase.oddMultiples(h, high.length);
      for (int i = 0; i < low.length; i++) {
        low[i] = Cached.of(lowOdd[i]);
        high[i] = Cached.of(highOdd[i]);
      }
    }
  }

  /**
   * The width-w NAF of a 32-byte little-endian scalar below 2^253: digit i (of 264) is 0 or odd and
   * below 2^(w-1) in magnitude, and the digits weigh 2^i.
   */
  static byte[] wnaf(byte[] s, int w) {
    byte[] naf = new byte[DIGITS];
    int carry = 0;
    int pos = 0;
    while (pos < DIGITS) {
      int bit = bit(s, pos);
      if (bit == carry) {
        pos++;
        continue;
      }
      int window = carry;
      for (int b = 0; b < w; b++) {
        window += bit(s, pos + b) << b;
      }
      if (window >= 1 << (w - 1)) {
        naf[pos] = (byte) (window - (1 << w));
        carry = 1;
      } else {
        naf[pos] = (byte) window;
        carry = 0;
      }
      pos += w;
    }
    return naf;
  }

  private static int bit(byte[] s, int i) {
    return i >= 256 ? 0 : (s[i >> 3] >> (i & 7)) & 1;
  }

  /** The low (high = false) or high 16 bytes of a 32-byte scalar, as a 32-byte scalar. */
  private static byte[] half(byte[] s, boolean high) {
    byte[] h = new byte[32];
    System.arraycopy(s, high ? 16 : 0, h, 0, 16);
    return h;
  }

  private static int top(byte[] naf, int from) {
    int i = from;
    while (i >= 0 && naf[i] == 0) {
      i--;
    }
    return i;
  }

  /** [s]B - [k]A, for 32-byte little-endian s and k below 2^253 and A's table. */
  static Projective mulSub(byte[] s, byte[] k, Table a) {
    byte[] s0 = wnaf(half(s, false), WIDTH_B);
    byte[] s1 = wnaf(half(s, true), WIDTH_B);
    byte[] k0 = wnaf(half(k, false), WIDTH_A);
    byte[] k1 = wnaf(half(k, true), WIDTH_A);
    int top = Math.max(Math.max(top(s0, DIGITS - 1), top(s1, DIGITS - 1)), 0);
    top = Math.max(top, Math.max(top(k0, DIGITS - 1), top(k1, DIGITS - 1)));
    Affine[] b0 = FixedBase.oddMultiples();
    Affine[] b1 = FixedBase.oddMultiplesHigh();
    Projective r = new Projective();
    r.setIdentity();
    Completed c = new Completed();
    Extended t = new Extended();
    for (int i = top; i >= 0; i--) {
      EdPoint.dbl(c, r);
      addB(c, t, s0[i], b0);
      addB(c, t, s1[i], b1);
      subA(c, t, k0[i], a.low);
      subA(c, t, k1[i], a.high);
      r.set(c);
    }
    return r;
  }

  /** c = c + d * (odd multiple from table), for a wNAF digit d (0: unchanged). */
  private static void addB(Completed c, Extended t, int d, Affine[] table) {
    if (d > 0) {
      t.set(c);
      EdPoint.plus(c, t, table[d >> 1]);
    } else if (d < 0) {
      t.set(c);
      EdPoint.minus(c, t, table[(-d) >> 1]);
    }
  }

  /** c = c - d * (odd multiple from table), for a wNAF digit d (0: unchanged). */
  private static void subA(Completed c, Extended t, int d, Cached[] table) {
    if (d > 0) {
      t.set(c);
      EdPoint.minus(c, t, table[d >> 1]);
    } else if (d < 0) {
      t.set(c);
      EdPoint.plus(c, t, table[(-d) >> 1]);
    }
  }
}
