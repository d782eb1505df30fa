package io.poolforge.backend.opencl;

import com.aparapi.Kernel;

/**
 * SHA-256 of a batch of messages, one message per work item. The host pads every message and packs
 * its blocks as big-endian words into {@link #blocks}; {@link #layout} holds each message's first
 * block and block count; each work item writes eight digest words into {@link #digests}.
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

  @PrivateMemorySpace(16)
  final int[] w = new int[16];

  @PrivateMemorySpace(8)
  final int[] st = new int[8];

  @Override
  public void run() {
    int gid = getGlobalId();
    if (gid < count) {
      st[0] = 0x6a09e667;
      st[1] = 0xbb67ae85;
      st[2] = 0x3c6ef372;
      st[3] = 0xa54ff53a;
      st[4] = 0x510e527f;
      st[5] = 0x9b05688c;
      st[6] = 0x1f83d9ab;
      st[7] = 0x5be0cd19;
      int first = layout[2 * gid];
      int n = layout[2 * gid + 1];
      for (int b = 0; b < n; b++) {
        int base = (first + b) * 16;
        for (int t = 0; t < 16; t++) {
          w[t] = blocks[base + t];
        }
        compress();
      }
      for (int i = 0; i < 8; i++) {
        digests[gid * 8 + i] = st[i];
      }
    }
  }

  /** One compression of the block in {@code w} into {@code st}; {@code w} is consumed. */
  void compress() {
    int a = st[0];
    int b = st[1];
    int c = st[2];
    int d = st[3];
    int e = st[4];
    int f = st[5];
    int g = st[6];
    int h = st[7];
    for (int t = 0; t < 64; t++) {
      int wt = w[t & 15];
      if (t >= 16) {
        int x = w[(t + 1) & 15];
        int y = w[(t + 14) & 15];
        int s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        int s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        wt = wt + s0 + w[(t + 9) & 15] + s1;
        w[t & 15] = wt;
      }
      int e1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      int ch = (e & f) ^ (~e & g);
      int t1 = h + e1 + ch + k[t] + wt;
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
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += h;
  }
}
