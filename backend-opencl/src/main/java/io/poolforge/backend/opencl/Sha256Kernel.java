package io.poolforge.backend.opencl;

import com.aparapi.Kernel;

/**
 * SHA-256 of a batch of messages, one message per work item. The host pads every message and packs
 * its blocks as big-endian words into {@link #blocks}; {@link #layout} holds each message's first
 * block and block count; each work item writes eight digest words into {@link #digests}.
 *
 * <p>The message schedule is a sliding window of sixteen locals rather than an indexed array, so
 * that OpenCL compilers keep it in registers.
 *
 * <p>Kernel fields are written only by the host between executions; not thread-safe.
 */
final class Sha256Kernel extends Kernel {
  /** Round constants, in constant memory. */
  @Constant final int[] k = Sha256Rounds.k();

  /** Padded message blocks, 16 big-endian words each. */
  int[] blocks = new int[16];

  /** Per message: first block index, block count. */
  int[] layout = new int[2];

  /** Per message: eight digest words. */
  int[] digests = new int[8];

  /** How many messages are valid in this launch. */
  int count;

  @Override
  public void run() {
    int gid = getGlobalId();
    if (gid < count) {
      int h0 = 0x6a09e667;
      int h1 = 0xbb67ae85;
      int h2 = 0x3c6ef372;
      int h3 = 0xa54ff53a;
      int h4 = 0x510e527f;
      int h5 = 0x9b05688c;
      int h6 = 0x1f83d9ab;
      int h7 = 0x5be0cd19;
      int first = layout[2 * gid];
      int n = layout[2 * gid + 1];
      for (int blk = 0; blk < n; blk++) {
        int p = (first + blk) * 16;
        int x0 = blocks[p];
        int x1 = blocks[p + 1];
        int x2 = blocks[p + 2];
        int x3 = blocks[p + 3];
        int x4 = blocks[p + 4];
        int x5 = blocks[p + 5];
        int x6 = blocks[p + 6];
        int x7 = blocks[p + 7];
        int x8 = blocks[p + 8];
        int x9 = blocks[p + 9];
        int x10 = blocks[p + 10];
        int x11 = blocks[p + 11];
        int x12 = blocks[p + 12];
        int x13 = blocks[p + 13];
        int x14 = blocks[p + 14];
        int x15 = blocks[p + 15];
        int a = h0;
        int b = h1;
        int c = h2;
        int d = h3;
        int e = h4;
        int f = h5;
        int g = h6;
        int h = h7;
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
        h0 += a;
        h1 += b;
        h2 += c;
        h3 += d;
        h4 += e;
        h5 += f;
        h6 += g;
        h7 += h;
      }
      int o = gid * 8;
      digests[o] = h0;
      digests[o + 1] = h1;
      digests[o + 2] = h2;
      digests[o + 3] = h3;
      digests[o + 4] = h4;
      digests[o + 5] = h5;
      digests[o + 6] = h6;
      digests[o + 7] = h7;
    }
  }
}
