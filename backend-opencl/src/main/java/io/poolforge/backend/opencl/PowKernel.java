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

  @PrivateMemorySpace(16)
  final int[] w = new int[16];

  @PrivateMemorySpace(8)
  final int[] st = new int[8];

  @PrivateMemorySpace(8)
  final int[] low = new int[8];

  @Override
  public void run() {
    int gid = getGlobalId();
    int first = gid * perItem;
    int hit = -1;
    int lowOffset = -1;
    for (int i = 0; i < 8; i++) {
      low[i] = -1;
    }
    for (int j = 0; j < perItem; j++) {
      int off = first + j;
      if (off < passCount) {
        int nonce = nonceStart + off;
        for (int i = 0; i < 8; i++) {
          st[i] = mid[i];
        }
        w[0] = tail[0];
        w[1] = tail[1];
        w[2] = tail[2];
        w[3] = swap(nonce);
        w[4] = 0x80000000;
        for (int i = 5; i < 15; i++) {
          w[i] = 0;
        }
        w[15] = 640;
        compress();
        for (int i = 0; i < 8; i++) {
          w[i] = st[i];
        }
        w[8] = 0x80000000;
        for (int i = 9; i < 15; i++) {
          w[i] = 0;
        }
        w[15] = 256;
        st[0] = 0x6a09e667;
        st[1] = 0xbb67ae85;
        st[2] = 0x3c6ef372;
        st[3] = 0xa54ff53a;
        st[4] = 0x510e527f;
        st[5] = 0x9b05688c;
        st[6] = 0x1f83d9ab;
        st[7] = 0x5be0cd19;
        compress();
        // Digest word i holds bytes 4i..4i+3; as a little-endian number limb i is that word
        // byte-swapped, limb 7 the most significant.
        int cmpTarget = 0;
        int cmpLow = 0;
        for (int i = 7; i >= 0; i--) {
          int limb = swap(st[i]);
          st[i] = limb;
          if (cmpTarget == 0) {
            cmpTarget = compareUnsigned(limb, target[i]);
          }
          if (cmpLow == 0) {
            cmpLow = compareUnsigned(limb, low[i]);
          }
        }
        if (hit < 0 && cmpTarget <= 0) {
          hit = off;
        }
        if (cmpLow < 0 || lowOffset < 0) {
          lowOffset = off;
          for (int i = 0; i < 8; i++) {
            low[i] = st[i];
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
