package io.poolforge.backend.opencl;

import com.aparapi.Kernel;

/**
 * Proof-of-work search: double SHA-256 of an 80-byte header whose first 64 bytes are already
 * compressed into {@link #mid} on the host, with the nonce as a little-endian uint32 at offset 76.
 * Work item {@code i} tries the nonces at offsets {@code [i * perItem, (i + 1) * perItem)} of this
 * launch (those below {@link #passCount}), each hash read as a little-endian 256-bit number. It
 * records the first offset whose hash is at most {@link #target} (or -1) in {@link #found}, and its
 * lowest hash with the offset in {@link #best}.
 *
 * <p>The message schedule is a sliding window of sixteen locals, so that OpenCL compilers keep it
 * in registers; a hash is compared in full only when its most significant limb could decide.
 *
 * <p>Kernel fields are written only by the host between executions; not thread-safe.
 */
final class PowKernel extends Kernel {
  @Constant final int[] k = Sha256Rounds.k();

  /** SHA-256 state after the header's first 64 bytes. */
  int[] mid = new int[8];

  /** Header bytes 64..75 as three big-endian words. */
  int[] tail = new int[3];

  /** The target as eight 32-bit limbs, least significant first. */
  int[] target = new int[8];

  /** Per work item: the first hit's offset in this launch, or -1. */
  int[] found = new int[1];

  /** Per work item: the lowest hash's eight limbs (least significant first) and its offset. */
  int[] best = new int[9];

  /** The nonce at offset 0 of this launch (uint32 bits). */
  int nonceStart;

  /** Nonces per work item. */
  int perItem;

  /** Nonces in this launch. */
  int passCount;

  @PrivateMemorySpace(8)
  final int[] low = new int[8];

  @PrivateMemorySpace(8)
  final int[] limb = new int[8];

  @Override
  public void run() {
    int gid = getGlobalId();
    int firstOffset = gid * perItem;
    int hit = -1;
    int lowOffset = -1;
    for (int i = 0; i < 8; i++) {
      low[i] = -1;
    }
    int m0 = mid[0];
    int m1 = mid[1];
    int m2 = mid[2];
    int m3 = mid[3];
    int m4 = mid[4];
    int m5 = mid[5];
    int m6 = mid[6];
    int m7 = mid[7];
    int tail0 = tail[0];
    int tail1 = tail[1];
    int tail2 = tail[2];
    int target7 = target[7];
    for (int j = 0; j < perItem; j++) {
      int off = firstOffset + j;
      if (off < passCount) {
        int nonce = nonceStart + off;
        // First hash: the header's second block, from the midstate.
        int x0 = tail0;
        int x1 = tail1;
        int x2 = tail2;
        int x3 = swap(nonce);
        int x4 = 0x80000000;
        int x5 = 0;
        int x6 = 0;
        int x7 = 0;
        int x8 = 0;
        int x9 = 0;
        int x10 = 0;
        int x11 = 0;
        int x12 = 0;
        int x13 = 0;
        int x14 = 0;
        int x15 = 640;
        int a = m0;
        int b = m1;
        int c = m2;
        int d = m3;
        int e = m4;
        int f = m5;
        int g = m6;
        int h = m7;
        for (int t = 0; t < 64; t++) {
          int e1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
          int ch = (e & f) ^ (~e & g);
          int t1 = h + e1 + ch + k[t] + x0;
          int a0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
          int maj = (a & b) ^ (a & c) ^ (b & c);
          h = g;
          g = f;
          f = e;
          e = d + t1;
          d = c;
          c = b;
          b = a;
          a = t1 + a0 + maj;
          // Slide the 16-word schedule window: x0 becomes W[t + 1], x15 the new W[t + 16].
          int s0 = ((x1 >>> 7) | (x1 << 25)) ^ ((x1 >>> 18) | (x1 << 14)) ^ (x1 >>> 3);
          int s1 = ((x14 >>> 17) | (x14 << 15)) ^ ((x14 >>> 19) | (x14 << 13)) ^ (x14 >>> 10);
          int next = x0 + s0 + x9 + s1;
          x0 = x1;
          x1 = x2;
          x2 = x3;
          x3 = x4;
          x4 = x5;
          x5 = x6;
          x6 = x7;
          x7 = x8;
          x8 = x9;
          x9 = x10;
          x10 = x11;
          x11 = x12;
          x12 = x13;
          x13 = x14;
          x14 = x15;
          x15 = next;
        }
        // Second hash: the 32-byte digest, padded, from the initial state.
        x0 = m0 + a;
        x1 = m1 + b;
        x2 = m2 + c;
        x3 = m3 + d;
        x4 = m4 + e;
        x5 = m5 + f;
        x6 = m6 + g;
        x7 = m7 + h;
        x8 = 0x80000000;
        x9 = 0;
        x10 = 0;
        x11 = 0;
        x12 = 0;
        x13 = 0;
        x14 = 0;
        x15 = 256;
        a = 0x6a09e667;
        b = 0xbb67ae85;
        c = 0x3c6ef372;
        d = 0xa54ff53a;
        e = 0x510e527f;
        f = 0x9b05688c;
        g = 0x1f83d9ab;
        h = 0x5be0cd19;
        for (int t = 0; t < 64; t++) {
          int e1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
          int ch = (e & f) ^ (~e & g);
          int t1 = h + e1 + ch + k[t] + x0;
          int a0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
          int maj = (a & b) ^ (a & c) ^ (b & c);
          h = g;
          g = f;
          f = e;
          e = d + t1;
          d = c;
          c = b;
          b = a;
          a = t1 + a0 + maj;
          // Slide the 16-word schedule window: x0 becomes W[t + 1], x15 the new W[t + 16].
          int s0 = ((x1 >>> 7) | (x1 << 25)) ^ ((x1 >>> 18) | (x1 << 14)) ^ (x1 >>> 3);
          int s1 = ((x14 >>> 17) | (x14 << 15)) ^ ((x14 >>> 19) | (x14 << 13)) ^ (x14 >>> 10);
          int next = x0 + s0 + x9 + s1;
          x0 = x1;
          x1 = x2;
          x2 = x3;
          x3 = x4;
          x4 = x5;
          x5 = x6;
          x6 = x7;
          x7 = x8;
          x8 = x9;
          x9 = x10;
          x10 = x11;
          x11 = x12;
          x12 = x13;
          x13 = x14;
          x14 = x15;
          x15 = next;
        }
        // Digest word i holds bytes 4i..4i+3; as a little-endian number limb i is that word
        // byte-swapped, limb 7 the most significant.
        int top = swap(0x5be0cd19 + h);
        boolean mayHit = hit < 0 && (top ^ 0x80000000) <= (target7 ^ 0x80000000);
        boolean mayBeLow = lowOffset < 0 || (top ^ 0x80000000) <= (low[7] ^ 0x80000000);
        if (mayHit || mayBeLow) {
          limb[0] = swap(0x6a09e667 + a);
          limb[1] = swap(0xbb67ae85 + b);
          limb[2] = swap(0x3c6ef372 + c);
          limb[3] = swap(0xa54ff53a + d);
          limb[4] = swap(0x510e527f + e);
          limb[5] = swap(0x9b05688c + f);
          limb[6] = swap(0x1f83d9ab + g);
          limb[7] = top;
          int cmpTarget = 0;
          int cmpLow = 0;
          for (int i = 7; i >= 0; i--) {
            if (cmpTarget == 0) {
              cmpTarget = compareUnsigned(limb[i], target[i]);
            }
            if (cmpLow == 0) {
              cmpLow = compareUnsigned(limb[i], low[i]);
            }
          }
          if (hit < 0 && cmpTarget <= 0) {
            hit = off;
          }
          if (cmpLow < 0 || lowOffset < 0) {
            lowOffset = off;
            for (int i = 0; i < 8; i++) {
              low[i] = limb[i];
            }
          }
        }
      }
    }
    found[gid] = hit;
    for (int i = 0; i < 8; i++) {
      best[gid * 9 + i] = low[i];
    }
    best[gid * 9 + 8] = lowOffset;
  }

  int swap(int x) {
    return (x >>> 24) | ((x >>> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
  }

  int compareUnsigned(int a, int b) {
    int r = 0;
    if ((a ^ 0x80000000) < (b ^ 0x80000000)) {
      r = -1;
    } else if (a != b) {
      r = 1;
    }
    return r;
  }
}
