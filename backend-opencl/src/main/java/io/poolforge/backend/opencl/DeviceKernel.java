package io.poolforge.backend.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One Aparapi kernel pinned to one OpenCL device, with explicit buffer management, and the check
 * that it really ran there.
 *
 * <p>Aparapi keeps device preferences per kernel class and, when it cannot translate, compile or
 * launch a kernel, silently marks the device failed and runs the kernel on a Java thread pool. This
 * class pins the kernel class to the one device, compiles it up front, and after every launch
 * checks that the device is still the kernel's target and not marked failed; otherwise it throws
 * {@link KernelFallbackException}. Once a kernel has fallen back it stays refused.
 *
 * <p>Not thread-safe: the owning engine serializes launches.
 *
 * @param <K> the kernel type
 */
final class DeviceKernel<K extends Kernel> implements AutoCloseable {
  private final K kernel;
  private final OpenCLDevice device;
  private final String name;
  private final int localSize;
  private volatile String fallbackReason;

  /**
   * Pins, switches to explicit buffers and compiles.
   *
   * @throws KernelFallbackException if Aparapi cannot translate or the driver cannot compile it
   */
  DeviceKernel(K kernel, OpenCLDevice device, String name) {
    this.kernel = kernel;
    this.device = device;
    this.name = name;
    KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<>(Set.of(device)));
    kernel.setExplicit(true);
    try {
      kernel.compile(device);
    } catch (CompileFailedException | RuntimeException e) {
      fallbackReason = "cannot compile the " + name + " kernel for " + describe() + ": " + e;
      throw new KernelFallbackException(fallbackReason, e);
    }
    int max = Math.max(1, device.getMaxWorkGroupSize());
    this.localSize = Math.min(OpenClDevices.isGpu(device) ? 128 : 64, max);
  }

  K kernel() {
    return kernel;
  }

  OpenCLDevice device() {
    return device;
  }

  /** The work-group size launches use; global sizes are padded to a multiple of it. */
  int localSize() {
    return localSize;
  }

  /** Rounds {@code items} up to a multiple of the work-group size. */
  int padded(int items) {
    return ((items + localSize - 1) / localSize) * localSize;
  }

  /**
   * Launches over {@code items} work items (padded; kernels guard with their own count) and checks
   * that the launch ran on the device.
   *
   * @throws KernelFallbackException if it did not
   */
  void launch(int items) {
    String reason = fallbackReason;
    if (reason != null) {
      throw new KernelFallbackException(reason, null);
    }
    kernel.execute(Range.create(device, padded(items), localSize));
    verifyRanOnDevice();
  }

  private void verifyRanOnDevice() {
    List<Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
    Device target = kernel.getTargetDevice();
    boolean onDevice =
        target instanceof OpenCLDevice cl
            && cl.getDeviceId() == device.getDeviceId()
            && failed.stream()
                .noneMatch(
                    d -> d instanceof OpenCLDevice f && f.getDeviceId() == device.getDeviceId());
    if (!onDevice) {
      String reason =
          "the "
              + name
              + " kernel fell back from "
              + describe()
              + " to "
              + (target == null ? "Java threads" : target.getShortDescription())
              + "; see Aparapi's warning above for the cause";
      fallbackReason = reason;
      throw new KernelFallbackException(reason, null);
    }
  }

  /** Why this kernel is refused, or null while it runs on its device. */
  String fallbackReason() {
    return fallbackReason;
  }

  String describe() {
    return "OpenCL device '" + OpenClDevices.info(device).name() + "'";
  }

  @Override
  public void close() {
    kernel.dispose();
  }
}
