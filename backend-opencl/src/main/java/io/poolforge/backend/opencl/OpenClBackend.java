package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.List;
import java.util.Set;

/** The OpenCL backend on one device. Thread-safe; {@link #execute} blocks. */
final class OpenClBackend implements ComputeBackend {
  private final OpenCLDevice device;
  private final DeviceInfo info;

  OpenClBackend(OpenCLDevice device) {
    this.device = device;
    this.info = OpenClDevices.info(device);
  }

  @Override
  public String id() {
    return OpenClBackendProvider.ID;
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(info);
  }

  @Override
  public Set<String> kinds() {
    return Set.of();
  }

  @Override
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    throw new PoolException(ErrorCode.INVALID_ARGUMENT, "kind", "opencl: kind " + kind.id(), null);
  }

  @Override
  public void close() {}
}
