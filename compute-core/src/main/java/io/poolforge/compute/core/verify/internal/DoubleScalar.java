package io.poolforge.compute.core.verify.internal;

import io.poolforge.compute.core.verify.internal.EdPoint.Cached;
import io.poolforge.compute.core.verify.internal.EdPoint.Completed;
import io.poolforge.compute.core.verify.internal.EdPoint.Extended;
import io.poolforge.compute.core.verify.internal.EdPoint.Projective;

/**
 * The verification equation's multiplication [s]B - [k]A for public s, k and A, in variable time:
 * both scalars are recoded in width-w non-adjacent form (wNAF: odd digits, at least w - 1 zeros
 * after each) and the two sums share one chain of doublings (Straus-Shamir). B's odd multiples come
 * from {@link FixedBase} (w = 8); A's from a per-key {@link Table} (w = 5), built once per public
 * key.
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

  /** The odd multiples A, 3A, ..., 15A of one point, ready to add. */
  static final class Table {
    private final Cached[] odd = new Cached[1 << (WIDTH_A - 2)];

    Table(Extended a) {
      Cached twoA = Cached.of(FixedBase.twice(a));
      Extended cur = new Extended();
      cur.set(a);
      for (int i = 0; i < odd.length; i++) {
        odd[i] = Cached.of(cur);
        cur = FixedBase.sum(cur, twoA);
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

  /** [s]B - [k]A, for 32-byte little-endian s and k below 2^253 and A's table. */
  static Projective mulSub(byte[] s, byte[] k, Table a) {
    byte[] ns = wnaf(s, WIDTH_B);
    byte[] nk = wnaf(k, WIDTH_A);
    int top = DIGITS - 1;
    while (top >= 0 && ns[top] == 0 && nk[top] == 0) {
      top--;
    }
    Projective r = new Projective();
    r.setIdentity();
    Completed c = new Completed();
    Extended t = new Extended();
    for (int i = top; i >= 0; i--) {
      EdPoint.dbl(c, r);
      int ds = ns[i];
      int dk = nk[i];
      if (ds > 0) {
        t.set(c);
        EdPoint.plus(c, t, FixedBase.oddMultiple(ds >> 1));
      } else if (ds < 0) {
        t.set(c);
        EdPoint.minus(c, t, FixedBase.oddMultiple((-ds) >> 1));
      }
      if (dk > 0) {
        t.set(c);
        EdPoint.minus(c, t, a.odd[dk >> 1]);
      } else if (dk < 0) {
        t.set(c);
        EdPoint.plus(c, t, a.odd[(-dk) >> 1]);
      }
      r.set(c);
    }
    return r;
  }
}
