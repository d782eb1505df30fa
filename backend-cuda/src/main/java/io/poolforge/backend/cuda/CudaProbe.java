package io.poolforge.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, once, whether an NVIDIA driver and at least one GPU are present. Loading JCuda's
 * native library fails with an {@link UnsatisfiedLinkError} where there is no driver; that, and
 * every other failure, means "not available", never an exception.
 *
 * <p>Thread-safe.
 */
final class CudaProbe {
  private static final Logger log = LoggerFactory.getLogger(CudaProbe.class);
  private static volatile Result result;

  private CudaProbe() {}

  /** What the probe found. */
  record Result(boolean available, int devices, String reason) {}

  static Result probe() {
    Result r = result;
    if (r == null) {
      synchronized (CudaProbe.class) {
        r = result;
        if (r == null) {
          r = run();
          result = r;
        }
      }
    }
    return r;
  }

  private static Result run() {
    try {
      JCudaDriver.setExceptionsEnabled(true);
      cuInit(0);
      int[] count = new int[1];
      cuDeviceGetCount(count);
      if (count[0] <= 0) {
        return new Result(false, 0, "the CUDA driver reports no GPU");
      }
      return new Result(true, count[0], "ok");
    } catch (Throwable t) { // UnsatisfiedLinkError, CudaException, anything: just unavailable
      log.debug("CUDA is not available", t);
      String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      return new Result(false, 0, "no usable CUDA driver: " + why);
    }
  }
}
