package io.poolforge.backend.cuda;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Provides the CUDA backend: the built-in kinds on every NVIDIA GPU of the machine, through JCuda's
 * driver API and kernels compiled ahead of time to PTX. Available only where an NVIDIA driver and a
 * GPU are present; {@link #isAvailable()} never throws.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
public final class CudaBackendProvider implements ComputeBackendProvider {
  /** Creates the provider; probing the driver waits for {@link #isAvailable()}. */
  public CudaBackendProvider() {}

  @Override
  public String id() {
    return "cuda";
  }

  @Override
  public boolean isAvailable() {
    return CudaProbe.probe().available();
  }

  /** Preferred over the CPU and OpenCL backends for the kinds it runs. */
  @Override
  public int priority() {
    return 100;
  }

  @Override
  public ComputeBackend create() {
    CudaProbe.Result probe = CudaProbe.probe();
    if (!probe.available()) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "cuda: " + probe.reason());
    }
    List<CudaDevice> gpus = new ArrayList<>();
    try {
      for (int i = 0; i < probe.devices(); i++) {
        gpus.add(new CudaDevice(i));
      }
    } catch (RuntimeException e) {
      gpus.forEach(CudaDevice::close);
      throw e;
    }
    return new CudaBackend(gpus);
  }
}
