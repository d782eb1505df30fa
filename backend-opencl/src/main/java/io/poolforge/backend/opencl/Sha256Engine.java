package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import java.util.List;

/**
 * Hashes batches of messages with {@link Sha256Kernel}. The host pads each message (FIPS 180-4,
 * 5.1.1) and packs the blocks; launches reuse one kernel and grow its buffers only when a batch
 * needs more room, so steady-state batches copy just their own data.
 *
 * <p>Thread-safe: launches are serialized. Blocks while the device works.
 */
final class Sha256Engine implements AutoCloseable {
  /** Most padded blocks in one launch (16 MiB of message data). */
  static final int MAX_BLOCKS_PER_LAUNCH = 1 << 18;

  /** Most messages in one launch. */
  static final int MAX_MESSAGES_PER_LAUNCH = 1 << 16;

  private final DeviceKernel<Sha256Kernel> dk;

  Sha256Engine(OpenCLDevice device) {
    Sha256Kernel kernel = new Sha256Kernel();
    this.dk = new DeviceKernel<>(kernel, device, "sha256");
  }

  DeviceKernel<?> kernel() {
    return dk;
  }

  /**
   * Digests each message.
   *
   * @param messages the messages, any lengths
   * @return one 32-byte digest per message, in order
   */
  synchronized byte[][] digest(List<byte[]> messages) {
    byte[][] out = new byte[messages.size()][];
    int from = 0;
    while (from < messages.size()) {
      int to = from;
      long blocks = 0;
      while (to < messages.size() && to - from < MAX_MESSAGES_PER_LAUNCH) {
        long b = blockCount(messages.get(to).length);
        if (to > from && blocks + b > MAX_BLOCKS_PER_LAUNCH) {
          break;
        }
        blocks += b;
        to++;
      }
      launch(messages.subList(from, to), (int) blocks, out, from);
      from = to;
    }
    return out;
  }

  static long blockCount(long length) {
    return (length + 8) / 64 + 1;
  }

  private void launch(List<byte[]> batch, int totalBlocks, byte[][] out, int outOffset) {
    Sha256Kernel k = dk.kernel();
    int n = batch.size();
    if (k.blocks.length < totalBlocks * 16) {
      k.blocks = new int[Math.max(totalBlocks, k.blocks.length / 8) * 16];
    }
    if (k.layout.length < 2 * n) {
      k.layout = new int[2 * Math.max(n, k.layout.length)];
    }
    if (k.digests.length < 8 * dk.padded(n)) {
      k.digests = new int[8 * Math.max(dk.padded(n), k.digests.length / 4)];
    }
    int[] blocks = k.blocks;
    int[] layout = k.layout;
    int block = 0;
    for (int i = 0; i < n; i++) {
      byte[] m = batch.get(i);
      int count = (int) blockCount(m.length);
      layout[2 * i] = block;
      layout[2 * i + 1] = count;
      pack(m, blocks, block * 16, count);
      block += count;
    }
    k.count = n;
    k.put(k.blocks).put(k.layout);
    dk.launch(n);
    k.get(k.digests);
    int[] d = k.digests;
    for (int i = 0; i < n; i++) {
      byte[] digest = new byte[32];
      for (int j = 0; j < 8; j++) {
        int word = d[8 * i + j];
        digest[4 * j] = (byte) (word >>> 24);
        digest[4 * j + 1] = (byte) (word >>> 16);
        digest[4 * j + 2] = (byte) (word >>> 8);
        digest[4 * j + 3] = (byte) word;
      }
      out[outOffset + i] = digest;
    }
  }

  /** Writes the padded message as big-endian words into {@code words[at..at + 16 * count)}. */
  private static void pack(byte[] m, int[] words, int at, int count) {
    int end = at + 16 * count;
    java.util.Arrays.fill(words, at, end, 0);
    int full = m.length >>> 2;
    for (int i = 0; i < full; i++) {
      int p = 4 * i;
      words[at + i] =
          (m[p] & 0xff) << 24
              | (m[p + 1] & 0xff) << 16
              | (m[p + 2] & 0xff) << 8
              | (m[p + 3] & 0xff);
    }
    int word = 0;
    int rest = m.length & 3;
    for (int j = 0; j < rest; j++) {
      word |= (m[4 * full + j] & 0xff) << (24 - 8 * j);
    }
    word |= 0x80 << (24 - 8 * rest);
    words[at + full] = word;
    long bits = (long) m.length * 8;
    words[end - 2] = (int) (bits >>> 32);
    words[end - 1] = (int) bits;
  }

  @Override
  public synchronized void close() {
    dk.close();
  }
}
