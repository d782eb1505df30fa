package io.poolforge.backend.opencl;

import com.aparapi.Kernel;

/**
 * Modular exponentiation {@code base^exp mod m} for odd {@code m}, one per work item, with 32-bit
 * limbs, Montgomery multiplication (CIOS) and a fixed 4-bit window. Every product is a 32 x 32 ->
 * 64-bit multiply of zero-extended limbs, so no 64 x 64 multiply is ever needed.
 *
 * <p>All numbers are interleaved: limb {@code j} of item {@code g} is at {@code j * stride + g}, so
 * neighbouring work items touch neighbouring words. Inputs: {@link #base} (already reduced mod m,
 * {@link #limbs} limbs), {@link #exp} ({@link #expLimbs} limbs), {@link #mod}, {@link #r2} (R^2 mod
 * m with R = 2^(32 * limbs)) and {@link #n0inv} (-m^-1 mod 2^32). Output: {@link #result}. {@link
 * #work} is scratch: per item {@code 19 * limbs + 2} slots.
 *
 * <p>Kernel fields are written only by the host between executions; not thread-safe.
 */
final class ModExpKernel extends Kernel {
  int[] base = new int[1];
  int[] exp = new int[1];
  int[] mod = new int[1];
  int[] r2 = new int[1];
  int[] n0inv = new int[1];
  int[] result = new int[1];
  int[] work = new int[1];

  /** Limbs of the modulus, 1..128. */
  int limbs;

  /** Limbs of the exponent, >= 1. */
  int expLimbs;

  /** Valid items in this launch. */
  int count;

  /** Distance between consecutive limbs of one item (the padded item count). */
  int stride;

  @Override
  public void run() {
    int gid = getGlobalId();
    if (gid < count) {
      int s = limbs;
      // Slots in work: T at 0 (s + 2 limbs), ONE at s + 2, ACC at 2s + 2, TABLE[i] at 3s + 2 + i*s.
      int one = s + 2;
      int acc = 2 * s + 2;
      int table = 3 * s + 2;
      for (int j = 0; j < s; j++) {
        work[(one + j) * stride + gid] = 0;
        work[(table + j) * stride + gid] = r2[j * stride + gid];
        work[(table + s + j) * stride + gid] = base[j * stride + gid];
      }
      work[one * stride + gid] = 1;
      // TABLE[1] = base * R mod m; TABLE[0] = R mod m (Montgomery one).
      montMul(table + s, table, table + s, gid);
      montMul(table, one, table, gid);
      for (int i = 2; i < 16; i++) {
        montMul(table + (i - 1) * s, table + s, table + i * s, gid);
      }
      for (int j = 0; j < s; j++) {
        work[(acc + j) * stride + gid] = work[(table + j) * stride + gid];
      }
      for (int word = expLimbs - 1; word >= 0; word--) {
        int e = exp[word * stride + gid];
        for (int nib = 7; nib >= 0; nib--) {
          montMul(acc, acc, acc, gid);
          montMul(acc, acc, acc, gid);
          montMul(acc, acc, acc, gid);
          montMul(acc, acc, acc, gid);
          int win = (e >>> (4 * nib)) & 15;
          montMul(acc, table + win * s, acc, gid);
        }
      }
      montMul(acc, one, acc, gid);
      for (int j = 0; j < s; j++) {
        result[j * stride + gid] = work[(acc + j) * stride + gid];
      }
    }
  }

  /**
   * work[out] = work[a] * work[b] * R^-1 mod m, fully reduced. {@code out} may equal {@code a} or
   * {@code b}: the product is built in slot T and copied.
   */
  void montMul(int a, int b, int out, int gid) {
    int s = limbs;
    long mask = 0xFFFFFFFFL;
    for (int j = 0; j < s + 2; j++) {
      work[j * stride + gid] = 0;
    }
    long q = n0inv[gid] & mask;
    for (int i = 0; i < s; i++) {
      long bi = work[(b + i) * stride + gid] & mask;
      long carry = 0;
      for (int j = 0; j < s; j++) {
        long x =
            (work[j * stride + gid] & mask) + (work[(a + j) * stride + gid] & mask) * bi + carry;
        work[j * stride + gid] = (int) x;
        carry = x >>> 32;
      }
      long top = (work[s * stride + gid] & mask) + carry;
      work[s * stride + gid] = (int) top;
      work[(s + 1) * stride + gid] = (int) (top >>> 32);

      long m = ((work[gid] & mask) * q) & mask;
      long y = (work[gid] & mask) + m * (mod[gid] & mask);
      carry = y >>> 32;
      for (int j = 1; j < s; j++) {
        long z = (work[j * stride + gid] & mask) + m * (mod[j * stride + gid] & mask) + carry;
        work[(j - 1) * stride + gid] = (int) z;
        carry = z >>> 32;
      }
      long u = (work[s * stride + gid] & mask) + carry;
      work[(s - 1) * stride + gid] = (int) u;
      work[s * stride + gid] = (int) ((work[(s + 1) * stride + gid] & mask) + (u >>> 32));
    }
    // T < 2m: subtract m once if T >= m.
    int geq = 1;
    if (work[s * stride + gid] == 0) {
      geq = 0;
      int decided = 0;
      for (int j = s - 1; j >= 0; j--) {
        if (decided == 0) {
          int tj = work[j * stride + gid];
          int mj = mod[j * stride + gid];
          if (tj != mj) {
            decided = 1;
            if ((tj ^ 0x80000000) > (mj ^ 0x80000000)) {
              geq = 1;
            }
          }
        }
      }
      if (decided == 0) {
        geq = 1;
      }
    }
    long borrow = 0;
    for (int j = 0; j < s; j++) {
      long tj = work[j * stride + gid] & mask;
      if (geq == 1) {
        long d = tj - (mod[j * stride + gid] & mask) - borrow;
        work[(out + j) * stride + gid] = (int) d;
        borrow = (d >>> 63);
      } else {
        work[(out + j) * stride + gid] = (int) tj;
      }
    }
  }
}
