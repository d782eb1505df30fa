package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs proof-of-work searches with {@link PowKernel}: computes the header midstate on the host,
 * sweeps the nonce range in launches of {@code items * perItem} nonces, and reduces the work items'
 * results. Between launches it checks for cancellation.
 *
 * <p>Thread-safe: searches are serialized. Blocks while the device works.
 */
final class PowEngine implements AutoCloseable {
  private final DeviceKernel<PowKernel> dk;
  private final int items;
  private final int perItem;

  PowEngine(OpenCLDevice device) {
    PowKernel kernel = new PowKernel();
    this.dk = new DeviceKernel<>(kernel, device, "pow");
    int units = Math.max(1, device.getMaxComputeUnits());
    this.items = dk.padded(Math.min(1 << 16, Math.max(256, units * 256)));
    this.perItem = OpenClDevices.isGpu(device) ? 64 : 128;
    kernel.found = new int[items];
    kernel.best = new int[items * 9];
  }

  DeviceKernel<?> kernel() {
    return dk;
  }

  /** Nonces hashed per launch. */
  long noncesPerLaunch() {
    return (long) items * perItem;
  }

  /** Told after each launch how far the search got; lets a caller save checkpoints. */
  interface Progress {
    /**
     * Called after a launch.
     *
     * @param next the first nonce not yet searched
     * @param bestNonce the best nonce so far, or -1
     * @param bestHash its 32 digest bytes (a fresh copy), or null
     */
    void afterLaunch(long next, long bestNonce, byte @Nullable [] bestHash);
  }

  PowOutcome search(PowSearch job, BooleanSupplier cancelled) {
    return search(job, cancelled, (next, nonce, hash) -> {});
  }

  synchronized PowOutcome search(PowSearch job, BooleanSupplier cancelled, Progress progress) {
    PowKernel k = dk.kernel();
    int[] state = Sha256Rounds.iv();
    Sha256Rounds.compress(state, job.header(), 0);
    System.arraycopy(state, 0, k.mid, 0, 8);
    byte[] h = job.header();
    for (int i = 0; i < 3; i++) {
      int p = 64 + 4 * i;
      k.tail[i] =
          (h[p] & 0xff) << 24
              | (h[p + 1] & 0xff) << 16
              | (h[p + 2] & 0xff) << 8
              | (h[p + 3] & 0xff);
    }
    byte[] t = job.target();
    for (int i = 0; i < 8; i++) {
      k.target[i] =
          (t[4 * i] & 0xff)
              | (t[4 * i + 1] & 0xff) << 8
              | (t[4 * i + 2] & 0xff) << 16
              | (t[4 * i + 3] & 0xff) << 24;
    }
    k.perItem = perItem;
    k.put(k.mid).put(k.tail).put(k.target);

    long found = -1;
    long bestNonce = -1;
    int[] bestLimbs = new int[8];
    long done = 0;
    long perLaunch = noncesPerLaunch();
    while (done < job.nonceCount()) {
      if (cancelled.getAsBoolean()) {
        throw new PoolException(
            ErrorCode.CANCELLED, "pow search cancelled after " + done + " nonces", null);
      }
      long start = job.nonceStart() + done;
      int pass = (int) Math.min(perLaunch, job.nonceCount() - done);
      k.nonceStart = (int) start;
      k.passCount = pass;
      dk.launch((pass + perItem - 1) / perItem);
      k.get(k.found).get(k.best);
      int used = (pass + perItem - 1) / perItem;
      for (int i = 0; i < used; i++) {
        int hit = k.found[i];
        if (found < 0 && hit >= 0) {
          found = start + hit;
        }
        int off = k.best[9 * i + 8];
        if (off >= 0 && (bestNonce < 0 || lower(k.best, 9 * i, bestLimbs))) {
          bestNonce = start + off;
          System.arraycopy(k.best, 9 * i, bestLimbs, 0, 8);
        }
      }
      done += pass;
      if (found >= 0 && job.stopAtFirst()) {
        break;
      }
      progress.afterLaunch(
          job.nonceStart() + done, bestNonce, bestNonce < 0 ? null : bytesOf(bestLimbs));
    }
    return new PowOutcome(found, bestNonce, bytesOf(bestLimbs), done);
  }

  private static byte[] bytesOf(int[] limbs) {
    byte[] hash = new byte[32];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        hash[4 * i + j] = (byte) (limbs[i] >>> (8 * j));
      }
    }
    return hash;
  }

  /** Whether the limbs at {@code a[from..from+8)} are below {@code b} (ties keep the earlier). */
  private static boolean lower(int[] a, int from, int[] b) {
    for (int i = 7; i >= 0; i--) {
      int c = Integer.compareUnsigned(a[from + i], b[i]);
      if (c != 0) {
        return c < 0;
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    dk.close();
  }
}
