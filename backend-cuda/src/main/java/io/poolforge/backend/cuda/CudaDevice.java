package io.poolforge.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * One GPU: its own context, owned by one platform thread on which every driver call for the device
 * runs; the kernels' modules; two streams, so one chunk's copies overlap another's kernel; and
 * device buffers with pinned host twins that are reused across batches.
 *
 * <p>Thread-safe: public methods hand their work to the device thread and block until done.
 */
final class CudaDevice implements AutoCloseable {
  private static final int THREADS = 256;

  private final int ordinal;
  private final ExecutorService thread;
  private final DeviceInfo info;
  private final int multiprocessors;
  private CUcontext context;
  private final List<CUmodule> modules = new ArrayList<>();
  private CUfunction sha256Batch;
  private CUfunction powSearch;
  private CUfunction compressBench;
  private CUfunction modexpBatch;
  private CUfunction renderTile;
  private final CUstream[] streams = new CUstream[2];
  private final DeviceBuffer[] shaIn = {new DeviceBuffer(), new DeviceBuffer()};
  private final DeviceBuffer[] shaMeta = {new DeviceBuffer(), new DeviceBuffer()};
  private final DeviceBuffer[] shaOut = {new DeviceBuffer(), new DeviceBuffer()};
  private final DeviceBuffer powParams = new DeviceBuffer();
  private final DeviceBuffer powBest = new DeviceBuffer();
  private final DeviceBuffer modIn = new DeviceBuffer();
  private final DeviceBuffer modOut = new DeviceBuffer();
  private final DeviceBuffer renderOut = new DeviceBuffer();

  CudaDevice(int ordinal) {
    this.ordinal = ordinal;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "poolforge-cuda-" + ordinal);
              t.setDaemon(true);
              return t;
            });
    Object[] found = call(this::open);
    this.info = (DeviceInfo) found[0];
    this.multiprocessors = (Integer) found[1];
  }

  DeviceInfo info() {
    return info;
  }

  private Object[] open() {
    CUdevice dev = new CUdevice();
    cuDeviceGet(dev, ordinal);
    byte[] name = new byte[256];
    cuDeviceGetName(name, name.length, dev);
    long[] mem = new long[1];
    cuDeviceTotalMem(mem, dev);
    int[] sms = new int[1];
    cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
    context = new CUcontext();
    cuCtxCreate(context, 0, dev);
    sha256Batch = function(load("sha256_batch"), "pf_sha256_batch");
    CUmodule pow = load("pow");
    powSearch = function(pow, "pf_pow_search");
    compressBench = function(pow, "pf_sha256_compress_bench");
    modexpBatch = function(load("modexp"), "pf_modexp_batch");
    renderTile = function(load("render"), "pf_render_tile");
    for (int i = 0; i < streams.length; i++) {
      streams[i] = new CUstream();
      cuStreamCreate(streams[i], 0);
    }
    String n = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim();
    int end = n.indexOf(0);
    n = end >= 0 ? n.substring(0, end) : n;
    return new Object[] {new DeviceInfo("cuda", n, mem[0], Math.max(1, sms[0]), true), sms[0]};
  }

  private CUmodule load(String name) {
    String resource = "ptx/" + name + ".ptx";
    try (InputStream in = CudaDevice.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new PoolException(ErrorCode.INTERNAL, "missing kernel resource " + resource);
      }
      byte[] ptx = in.readAllBytes();
      byte[] terminated = java.util.Arrays.copyOf(ptx, ptx.length + 1);
      CUmodule m = new CUmodule();
      cuModuleLoadData(m, terminated);
      modules.add(m);
      return m;
    } catch (IOException e) {
      throw new PoolException(ErrorCode.INTERNAL, "cannot read " + resource, e);
    }
  }

  private static CUfunction function(CUmodule m, String name) {
    CUfunction f = new CUfunction();
    cuModuleGetFunction(f, m, name);
    return f;
  }

  private <T> T call(Callable<T> work) {
    Future<T> f =
        thread.submit(
            () -> {
              if (context != null) {
                cuCtxSetCurrent(context);
              }
              return work.call();
            });
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PoolException(ErrorCode.CANCELLED, "interrupted while waiting for GPU " + ordinal);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof PoolException p) {
        throw p;
      }
      throw new PoolException(
          ErrorCode.INTERNAL, "CUDA failure on GPU " + ordinal + ": " + c.getMessage(), c);
    }
  }

  /**
   * SHA-256 of each message. The batch is cut in two halves on two streams, so the second half's
   * upload overlaps the first half's kernel.
   */
  byte[][] sha256(List<byte[]> messages) {
    return call(
        () -> {
          byte[][] out = new byte[messages.size()][];
          int half = (messages.size() + 1) / 2;
          int[][] ranges = {{0, half}, {half, messages.size()}};
          for (int s = 0; s < 2; s++) {
            int from = ranges[s][0];
            int to = ranges[s][1];
            int n = to - from;
            if (n == 0) {
              continue;
            }
            long total = 0;
            for (int i = from; i < to; i++) {
              total += messages.get(i).length;
            }
            ByteBuffer data = shaIn[s].reserve(Math.max(1, total));
            ByteBuffer meta = shaMeta[s].reserve(12L * n);
            long off = 0;
            for (int i = from; i < to; i++) {
              byte[] m = messages.get(i);
              data.put(m);
              meta.putLong(8 * (i - from), off);
              meta.putInt(8 * n + 4 * (i - from), m.length);
              off += m.length;
            }
            shaOut[s].reserve(32L * n);
            CUstream st = streams[s];
            cuMemcpyHtoDAsync(shaIn[s].device(), shaIn[s].host(), Math.max(1, total), st);
            cuMemcpyHtoDAsync(shaMeta[s].device(), shaMeta[s].host(), 12L * n, st);
            Pointer params =
                Pointer.to(
                    Pointer.to(shaIn[s].device()),
                    Pointer.to(shaMeta[s].device()),
                    Pointer.to(shaMeta[s].device().withByteOffset(8L * n)),
                    Pointer.to(new int[] {n}),
                    Pointer.to(shaOut[s].device()));
            cuLaunchKernel(
                sha256Batch, (n + THREADS - 1) / THREADS, 1, 1, THREADS, 1, 1, 0, st, params, null);
            cuMemcpyDtoHAsync(shaOut[s].host(), shaOut[s].device(), 32L * n, st);
          }
          for (int s = 0; s < 2; s++) {
            cuStreamSynchronize(streams[s]);
            int from = ranges[s][0];
            int to = ranges[s][1];
            ByteBuffer o = shaOut[s].host().getByteBuffer(0, 32L * Math.max(1, to - from));
            for (int i = from; i < to; i++) {
              byte[] d = new byte[32];
              o.get(32 * (i - from), d);
              out[i] = d;
            }
          }
          return out;
        });
  }

  /** What a nonce search found. */
  record PowSearch(long winner, long bestNonce, byte[] bestKey) {}

  /**
   * Searches nonces {@code [start, start + count)} of an 80-byte header for the lowest nonce whose
   * double SHA-256, read as a little-endian 256-bit number, is at most {@code target}.
   *
   * @param header 80 bytes; bytes 76..79 are replaced by each nonce
   * @param start the first nonce
   * @param count how many nonces, start + count <= 2^32
   * @param targetKey the target as 8 words, most significant first
   * @return the winner (or -1), and the lowest hash seen with its nonce
   */
  PowSearch pow(byte[] header, long start, long count, int[] targetKey) {
    return call(
        () -> {
          int[] mid = Midstate.of(header);
          int blocks = Math.max(1, multiprocessors * 8);
          long threads = (long) blocks * THREADS;
          long perThread = Math.max(1, (count + threads - 1) / threads);
          ByteBuffer p = powParams.reserve(4L * (8 + 3 + 8 + 1));
          for (int w : mid) {
            p.putInt(w);
          }
          for (int i = 0; i < 3; i++) {
            p.putInt(Midstate.beWord(header, 64 + 4 * i));
          }
          for (int w : targetKey) {
            p.putInt(w);
          }
          p.putInt(-1); // found = 0xffffffff
          powBest.reserve(4L * 9 * blocks);
          CUstream st = streams[0];
          cuMemcpyHtoDAsync(powParams.device(), powParams.host(), 4L * 20, st);
          var base = powParams.device();
          Pointer params =
              Pointer.to(
                  Pointer.to(base),
                  Pointer.to(base.withByteOffset(32)),
                  Pointer.to(new int[] {(int) start}),
                  Pointer.to(new int[] {(int) count}),
                  Pointer.to(new int[] {(int) perThread}),
                  Pointer.to(base.withByteOffset(44)),
                  Pointer.to(base.withByteOffset(76)),
                  Pointer.to(powBest.device()));
          cuLaunchKernel(powSearch, blocks, 1, 1, THREADS, 1, 1, 0, st, params, null);
          cuMemcpyDtoHAsync(powParams.host(), powParams.device(), 4L * 20, st);
          cuMemcpyDtoHAsync(powBest.host(), powBest.device(), 4L * 9 * blocks, st);
          cuStreamSynchronize(st);
          ByteBuffer r =
              powParams.host().getByteBuffer(0, 80).order(java.nio.ByteOrder.LITTLE_ENDIAN);
          long found = Integer.toUnsignedLong(r.getInt(76));
          ByteBuffer b =
              powBest.host().getByteBuffer(0, 36L * blocks).order(java.nio.ByteOrder.LITTLE_ENDIAN);
          int[] best = null;
          long bestNonce = -1;
          for (int k = 0; k < blocks; k++) {
            long nonce = Integer.toUnsignedLong(b.getInt(36 * k + 32));
            int[] key = new int[8];
            for (int i = 0; i < 8; i++) {
              key[i] = b.getInt(36 * k + 4 * i);
            }
            boolean untouched = nonce == 0xffffffffL && allOnes(key);
            if (untouched) {
              continue;
            }
            int c = best == null ? -1 : compareUnsigned(key, best);
            if (c < 0 || (c == 0 && nonce < bestNonce)) {
              best = key;
              bestNonce = nonce;
            }
          }
          byte[] bestBytes = new byte[32];
          if (best != null) {
            ByteBuffer bb = ByteBuffer.wrap(bestBytes);
            for (int w : best) {
              bb.putInt(w);
            }
          }
          return new PowSearch(found == 0xffffffffL ? -1 : found, bestNonce, bestBytes);
        });
  }

  private static boolean allOnes(int[] key) {
    for (int w : key) {
      if (w != -1) {
        return false;
      }
    }
    return true;
  }

  private static int compareUnsigned(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compareUnsigned(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Raw SHA-256 compressions for the benchmark: {@code threads * rounds} compressions.
   *
   * @return elapsed nanoseconds of the kernel alone
   */
  long compressBench(int blocks, int rounds) {
    return call(
        () -> {
          DeviceBuffer out = powBest;
          out.reserve(4L * blocks * THREADS);
          CUstream st = streams[1];
          Pointer params = Pointer.to(Pointer.to(new int[] {rounds}), Pointer.to(out.device()));
          long t0 = System.nanoTime();
          cuLaunchKernel(compressBench, blocks, 1, 1, THREADS, 1, 1, 0, st, params, null);
          cuStreamSynchronize(st);
          return System.nanoTime() - t0;
        });
  }

  /**
   * {@code base[i]^exp[i] mod mod[i]} for odd moduli, all operands padded to {@code limbs} 32-bit
   * limbs.
   */
  BigInteger[] modexp(BigInteger[] base, BigInteger[] exp, BigInteger[] mod, int limbs) {
    return call(
        () -> {
          int n = base.length;
          long words = (long) n * limbs;
          ByteBuffer in = modIn.reserve(4 * (words * 5 + n));
          BigInteger r = BigInteger.ONE.shiftLeft(32 * limbs);
          BigInteger two32 = BigInteger.ONE.shiftLeft(32);
          int expBits = 0;
          for (BigInteger e : exp) {
            expBits = Math.max(expBits, e.bitLength());
          }
          for (int i = 0; i < n; i++) {
            BigInteger m = mod[i];
            putLimbs(in, (int) (4 * ((long) i * limbs)), base[i].mod(m), limbs);
            putLimbs(in, (int) (4 * (words + (long) i * limbs)), exp[i], limbs);
            putLimbs(in, (int) (4 * (2 * words + (long) i * limbs)), m, limbs);
            putLimbs(in, (int) (4 * (3 * words + (long) i * limbs)), r.multiply(r).mod(m), limbs);
            int n0inv = m.mod(two32).modInverse(two32).negate().mod(two32).intValue();
            in.putInt((int) (4 * (4 * words + i)), n0inv);
          }
          modOut.reserve(4 * words);
          CUstream st = streams[0];
          cuMemcpyHtoDAsync(modIn.device(), modIn.host(), 4 * (words * 4 + n), st);
          var d = modIn.device();
          Pointer params =
              Pointer.to(
                  Pointer.to(d),
                  Pointer.to(d.withByteOffset(4 * words)),
                  Pointer.to(d.withByteOffset(8 * words)),
                  Pointer.to(d.withByteOffset(12 * words)),
                  Pointer.to(d.withByteOffset(16 * words)),
                  Pointer.to(new int[] {limbs}),
                  Pointer.to(new int[] {Math.max(1, expBits)}),
                  Pointer.to(new int[] {n}),
                  Pointer.to(modOut.device()));
          int threads = 64;
          cuLaunchKernel(
              modexpBatch, (n + threads - 1) / threads, 1, 1, threads, 1, 1, 0, st, params, null);
          cuMemcpyDtoHAsync(modOut.host(), modOut.device(), 4 * words, st);
          cuStreamSynchronize(st);
          ByteBuffer o =
              modOut.host().getByteBuffer(0, 4 * words).order(java.nio.ByteOrder.LITTLE_ENDIAN);
          BigInteger[] out = new BigInteger[n];
          for (int i = 0; i < n; i++) {
            out[i] = getLimbs(o, (int) (4 * ((long) i * limbs)), limbs);
          }
          return out;
        });
  }

  /**
   * Path traces pixels {@code [first, first + count)} of a tile (row-major within the tile) and
   * writes their mean linear radiance, 3 doubles per pixel, into {@code rgb} from {@code 3 *
   * first}.
   */
  void render(
      long seed,
      int frameWidth,
      int frameHeight,
      int x,
      int y,
      int width,
      int spp,
      int first,
      int count,
      double[] rgb) {
    call(
        () -> {
          renderOut.reserve(24L * count);
          CUstream st = streams[1];
          // The kernel numbers pixels from the tile's origin; shift the origin to the first row
          // of this chunk, which starts at a row boundary (callers cut chunks on whole rows).
          int rowOffset = first / width;
          Pointer params =
              Pointer.to(
                  Pointer.to(new long[] {seed}),
                  Pointer.to(new int[] {frameWidth}),
                  Pointer.to(new int[] {frameHeight}),
                  Pointer.to(new int[] {x}),
                  Pointer.to(new int[] {y + rowOffset}),
                  Pointer.to(new int[] {width}),
                  Pointer.to(new int[] {count / width}),
                  Pointer.to(new int[] {spp}),
                  Pointer.to(renderOut.device()));
          int threads = 128;
          cuLaunchKernel(
              renderTile,
              (count + threads - 1) / threads,
              1,
              1,
              threads,
              1,
              1,
              0,
              st,
              params,
              null);
          cuMemcpyDtoHAsync(renderOut.host(), renderOut.device(), 24L * count, st);
          cuStreamSynchronize(st);
          renderOut
              .host()
              .getByteBuffer(0, 24L * count)
              .order(java.nio.ByteOrder.LITTLE_ENDIAN)
              .asDoubleBuffer()
              .get(rgb, 3 * first, 3 * count);
          return null;
        });
  }

  private static void putLimbs(ByteBuffer b, int at, BigInteger v, int limbs) {
    byte[] be = v.toByteArray();
    for (int i = 0; i < limbs; i++) {
      int w = 0;
      for (int k = 0; k < 4; k++) {
        int idx = be.length - 1 - (4 * i + k);
        if (idx >= 0) {
          w |= (be[idx] & 0xff) << (8 * k);
        }
      }
      b.putInt(at + 4 * i, w);
    }
  }

  private static BigInteger getLimbs(ByteBuffer b, int at, int limbs) {
    byte[] be = new byte[4 * limbs + 1];
    for (int i = 0; i < limbs; i++) {
      int w = b.getInt(at + 4 * i);
      for (int k = 0; k < 4; k++) {
        be[be.length - 1 - (4 * i + k)] = (byte) (w >>> (8 * k));
      }
    }
    return new BigInteger(be);
  }

  @Override
  public void close() {
    try {
      call(
          () -> {
            for (DeviceBuffer b :
                new DeviceBuffer[] {powParams, powBest, modIn, modOut, renderOut}) {
              b.close();
            }
            for (int s = 0; s < 2; s++) {
              shaIn[s].close();
              shaMeta[s].close();
              shaOut[s].close();
              if (streams[s] != null) {
                cuStreamDestroy(streams[s]);
              }
            }
            for (CUmodule m : modules) {
              cuModuleUnload(m);
            }
            if (context != null) {
              cuCtxDestroy(context);
              context = null;
            }
            return null;
          });
    } finally {
      thread.shutdown();
    }
  }
}
