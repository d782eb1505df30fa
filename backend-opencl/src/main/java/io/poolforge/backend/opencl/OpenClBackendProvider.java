package io.poolforge.backend.opencl;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;

/**
 * Provides the "opencl" backend: the built-in task kinds as Aparapi kernels on the best OpenCL
 * device (a GPU when there is one). Found through {@link java.util.ServiceLoader}.
 *
 * <p>{@link #isAvailable()} loads Aparapi's native library and lists the OpenCL platforms once,
 * then caches the answer; it never throws. Without an OpenCL driver (no {@code libOpenCL.so}, no
 * ICD) it is false.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class OpenClBackendProvider implements ComputeBackendProvider {
  /** The backend id. */
  public static final String ID = "opencl";

  /** Below the CUDA backend, above the CPU backend. */
  private static final int PRIORITY = 50;

  private static volatile Boolean available;

  /** Creates the provider; cheap, touches no native code. */
  public OpenClBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean isAvailable() {
    Boolean a = available;
    if (a == null) {
      synchronized (OpenClBackendProvider.class) {
        a = available;
        if (a == null) {
          a = OpenClDevices.present();
          available = a;
        }
      }
    }
    return a;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Creates a backend on the best OpenCL device; compiles and self-tests every kernel, which takes
   * a few seconds on the first call.
   *
   * @throws PoolException UNAVAILABLE without an OpenCL device
   */
  @Override
  public ComputeBackend create() {
    if (!isAvailable()) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, ID, "opencl: no OpenCL platform with a device was found", null);
    }
    try {
      return new OpenClBackend(OpenClDevices.discover().get(0));
    } catch (PoolException e) {
      throw e;
    } catch (Throwable t) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, ID, "opencl: could not start the OpenCL backend: " + t, t);
    }
  }
}
