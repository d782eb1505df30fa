package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs batches of modular exponentiations with {@link ModExpKernel}. The host reduces each base,
 * computes R^2 mod m and -m^-1 mod 2^32, groups the batch by modulus and exponent size so that
 * every work item of a launch does the same amount of work, and converts limbs back.
 *
 * <p>Thread-safe: launches are serialized. Blocks while the device works.
 */
final class ModExpEngine implements AutoCloseable {
  /** Largest modulus in bits. */
  static final int MAX_BITS = 4096;

  /** Scratch words (ints) one launch may use: 64 MiB. */
  private static final long MAX_WORK_INTS = 16L << 20;

  private static final BigInteger TWO32 = BigInteger.ONE.shiftLeft(32);

  private final DeviceKernel<ModExpKernel> dk;

  ModExpEngine(OpenCLDevice device) {
    this.dk = new DeviceKernel<>(new ModExpKernel(), device, "modexp", true);
  }

  DeviceKernel<?> kernel() {
    return dk;
  }

  /**
   * Computes {@code base^exp mod mod} for each triple.
   *
   * @param bases non-negative
   * @param exps non-negative, at most {@link #MAX_BITS} bits
   * @param mods odd, positive, at most {@link #MAX_BITS} bits
   * @return the results, in order
   */
  synchronized BigInteger[] modPow(
      List<BigInteger> bases, List<BigInteger> exps, List<BigInteger> mods) {
    int n = bases.size();
    BigInteger[] out = new BigInteger[n];
    Map<Long, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      BigInteger m = mods.get(i);
      BigInteger e = exps.get(i);
      if (m.signum() <= 0 || !m.testBit(0) || m.bitLength() > MAX_BITS) {
        throw new IllegalArgumentException("modulus " + i + " must be odd, positive, <= 4096 bits");
      }
      if (e.signum() < 0 || e.bitLength() > MAX_BITS || bases.get(i).signum() < 0) {
        throw new IllegalArgumentException("base and exponent " + i + " must be non-negative");
      }
      int s = limbsOf(m);
      int es = limbsOf(e);
      groups.computeIfAbsent(((long) s << 32) | es, key -> new ArrayList<>()).add(i);
    }
    for (Map.Entry<Long, List<Integer>> g : groups.entrySet()) {
      int s = (int) (g.getKey() >>> 32);
      int es = (int) (long) g.getKey();
      List<Integer> idx = g.getValue();
      int maxItems = (int) Math.max(1, Math.min(1 << 16, MAX_WORK_INTS / (19L * s + 2)));
      maxItems = Math.max(dk.localSize(), maxItems / dk.localSize() * dk.localSize());
      for (int from = 0; from < idx.size(); from += maxItems) {
        List<Integer> part = idx.subList(from, Math.min(idx.size(), from + maxItems));
        launch(s, es, part, bases, exps, mods, out);
      }
    }
    return out;
  }

  private static int limbsOf(BigInteger x) {
    return Math.max(1, (x.bitLength() + 31) / 32);
  }

  private void launch(
      int s,
      int es,
      List<Integer> part,
      List<BigInteger> bases,
      List<BigInteger> exps,
      List<BigInteger> mods,
      BigInteger[] out) {
    ModExpKernel k = dk.kernel();
    int n = part.size();
    int stride = dk.padded(n);
    k.base = ensure(k.base, s * stride);
    k.mod = ensure(k.mod, s * stride);
    k.r2 = ensure(k.r2, s * stride);
    k.result = ensure(k.result, s * stride);
    k.exp = ensure(k.exp, es * stride);
    k.n0inv = ensure(k.n0inv, stride);
    k.work = ensure(k.work, (19 * s + 2) * stride);
    BigInteger r2mod = BigInteger.ONE.shiftLeft(64 * s);
    for (int c = 0; c < n; c++) {
      int i = part.get(c);
      BigInteger m = mods.get(i);
      scatter(bases.get(i).mod(m), k.base, s, stride, c);
      scatter(exps.get(i), k.exp, es, stride, c);
      scatter(m, k.mod, s, stride, c);
      scatter(r2mod.mod(m), k.r2, s, stride, c);
      k.n0inv[c] = m.mod(TWO32).modInverse(TWO32).negate().mod(TWO32).intValue();
    }
    k.limbs = s;
    k.expLimbs = es;
    k.count = n;
    k.stride = stride;
    k.put(k.base).put(k.exp).put(k.mod).put(k.r2).put(k.n0inv);
    dk.launch(n);
    k.get(k.result);
    for (int c = 0; c < n; c++) {
      out[part.get(c)] = gather(k.result, s, stride, c);
    }
  }

  /** Keeps {@code a} if it holds {@code size} ints, else a new array with room to grow. */
  private static int[] ensure(int[] a, int size) {
    return a.length >= size ? a : new int[Math.max(size, Math.min(a.length * 2, 1 << 26))];
  }

  private static void scatter(BigInteger x, int[] to, int limbs, int stride, int item) {
    byte[] be = x.toByteArray();
    for (int j = 0; j < limbs; j++) {
      int v = 0;
      for (int b = 0; b < 4; b++) {
        int p = be.length - 1 - (4 * j + b);
        if (p >= 0) {
          v |= (be[p] & 0xff) << (8 * b);
        }
      }
      to[j * stride + item] = v;
    }
  }

  private static BigInteger gather(int[] from, int limbs, int stride, int item) {
    byte[] be = new byte[4 * limbs + 1];
    for (int j = 0; j < limbs; j++) {
      int v = from[j * stride + item];
      int p = be.length - 1 - 4 * j;
      be[p] = (byte) v;
      be[p - 1] = (byte) (v >>> 8);
      be[p - 2] = (byte) (v >>> 16);
      be[p - 3] = (byte) (v >>> 24);
    }
    return new BigInteger(be);
  }

  @Override
  public synchronized void close() {
    dk.close();
  }
}
