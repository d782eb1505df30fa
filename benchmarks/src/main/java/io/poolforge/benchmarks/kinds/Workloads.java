package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.RenderInput;
import java.math.BigInteger;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The inputs every kinds benchmark uses, and the bare JDK loops they are compared with, in one
 * place so that the JMH benchmarks and {@link KindsCpuTime} measure the same work. Not thread-safe.
 */
final class Workloads {
  /** Messages per SHA-256 batch. */
  static final int SHA256_BATCH = 4096;

  /** Nonces per PoW range. */
  static final int POW_RANGE = 1 << 16;

  /** Operations per modexp batch. */
  static final int MODEXP_BATCH = 8;

  /** The render frame: width, height and samples per pixel. */
  static final int RENDER_W = 64;

  static final int RENDER_H = 48;
  static final int RENDER_SPP = 4;

  private Workloads() {}

  /** {@link #SHA256_BATCH} random messages of {@code size} bytes (seed 1). */
  static byte[][] messages(int size) {
    Random rnd = new Random(1);
    byte[][] raw = new byte[SHA256_BATCH][size];
    for (byte[] m : raw) {
      rnd.nextBytes(m);
    }
    return raw;
  }

  /** The same messages as {@code Bytes}. */
  static List<Bytes> asBytes(byte[][] raw) {
    List<Bytes> out = new ArrayList<>(raw.length);
    for (byte[] m : raw) {
      out.add(Bytes.of(m));
    }
    return out;
  }

  /** The 80-byte PoW header. */
  static byte[] powHeader() {
    byte[] header = new byte[80];
    header[0] = 1;
    return header;
  }

  /** A {@link #POW_RANGE}-nonce range whose target no nonce meets, so every nonce is hashed. */
  static PowInput powInput() {
    byte[] target = new byte[32];
    target[31] = 1;
    return PowInput.of(Bytes.of(powHeader()), 0, POW_RANGE, Bytes.of(target));
  }

  /**
   * The bare loop: double SHA-256 of the header for nonces [0, {@link #POW_RANGE}), the nonce's low
   * two bytes written at offset 76.
   *
   * @return a byte of the last hash, for the caller to consume
   */
  static int bareDoubleHashes(MessageDigest md, byte[] header) {
    byte[] out = new byte[32];
    int sink = 0;
    try {
      for (int nonce = 0; nonce < POW_RANGE; nonce++) {
        header[76] = (byte) nonce;
        header[77] = (byte) (nonce >>> 8);
        md.update(header);
        md.digest(out, 0, 32);
        md.update(out);
        md.digest(out, 0, 32);
        sink += out[31];
      }
    } catch (DigestException e) {
      throw new IllegalStateException(e);
    }
    return sink;
  }

  /** {@link #MODEXP_BATCH} full-size operations with odd {@code bits}-bit moduli (seed bits). */
  static ModExpInput modexp(int bits) {
    Random rnd = new Random(bits);
    List<ModExpOp> ops = new ArrayList<>();
    for (int i = 0; i < MODEXP_BATCH; i++) {
      BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
      ops.add(ModExpOp.of(new BigInteger(bits, rnd).mod(m), new BigInteger(bits, rnd), m));
    }
    return new ModExpInput(ops);
  }

  /** The render frame. */
  static RenderInput frame() {
    return RenderInput.frame(RENDER_W, RENDER_H, RENDER_SPP, 7, PixelFormat.FLOAT32);
  }
}
