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
import org.jspecify.annotations.Nullable;

/**
 * One Aparapi kernel pinned to one OpenCL device, with explicit buffer management, and the check
 * that it really ran there.
 *
 * <p>Aparapi keeps device preferences per kernel class and, when it cannot translate, compile or
 * launch a kernel, silently marks the device failed and runs the kernel on a Java thread pool. This
 * class pins the kernel class to the one device, compiles it up front, launches on ranges that name
 * the device, and after every launch checks that Aparapi did not mark the device failed or switch
 * to a Java execution mode; otherwise it throws {@link KernelFallbackException}. Once a kernel has
 * fallen back it stays refused.
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
  private final boolean spread;
  private volatile @Nullable String fallbackReason;
  private boolean launched;

  /**
   * Pins, switches to explicit buffers and compiles.
   *
   * @throws KernelFallbackException if Aparapi cannot translate or the driver cannot compile it
   */
  DeviceKernel(K kernel, OpenCLDevice device, String name) {
    this(kernel, device, name, false);
  }

  /**
   * Like {@link #DeviceKernel(Kernel, OpenCLDevice, String)}.
   *
   * @param spread whether small launches use smaller work groups so every compute unit gets one
   *     (worth it for heavy work items; PoCL compiles the kernel again for every work-group size,
   *     so light kernels keep one size)
   */
  DeviceKernel(K kernel, OpenCLDevice device, String name, boolean spread) {
    this.spread = spread;
    this.kernel = kernel;
    this.device = device;
    this.name = name;
    KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<>(Set.of(device)));
    kernel.setExplicit(true);
    try {
      kernel.compile(device);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (CompileFailedException | RuntimeException | Error e) {
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

  /**
   * The work-group size for a launch of {@code items}: {@link #localSize()}; for a spreading kernel
   * halved while that would leave compute units without a group (a batch of 16 modular
   * exponentiations should use every core of a CPU device, not one).
   */
  int localFor(int items) {
    if (!spread) {
      return localSize;
    }
    int units = Math.max(1, device.getMaxComputeUnits());
    int perUnit = Math.max(1, (items + units - 1) / units);
    int local = localSize;
    while (local > 1 && local > perUnit) {
      local >>= 1;
    }
    return local;
  }

  /** Rounds {@code items} up to a multiple of the work-group size of such a launch. */
  int padded(int items) {
    int local = localFor(items);
    return ((items + local - 1) / local) * local;
  }

  /**
   * Launches over {@code items} work items (padded; kernels guard with their own count) and checks
   * that the launch ran on the device.
   *
   * <p>The range names the device, so when Aparapi gives up on the device it does not run the
   * kernel elsewhere but fails the launch (with an AssertionError from its device check); the
   * legacy execution modes can still switch to Java threads. Either way the launch is refused.
   *
   * @throws KernelFallbackException if it did not run on the device
   */
  void launch(int items) {
    String reason = fallbackReason;
    if (reason != null) {
      throw new KernelFallbackException(reason, null);
    }
    try {
      kernel.execute(Range.create(device, padded(items), localFor(items)));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      fallbackReason = "the " + name + " kernel could not run on " + describe() + ": " + t;
      throw new KernelFallbackException(fallbackReason, t);
    }
    verifyRanOnDevice();
    launched = true;
  }

  @SuppressWarnings("deprecation") // the execution mode is how legacy-mode fallback shows
  private void verifyRanOnDevice() {
    List<Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
    boolean deviceFailed =
        failed.stream()
            .anyMatch(d -> d instanceof OpenCLDevice f && f.getDeviceId() == device.getDeviceId());
    Kernel.EXECUTION_MODE mode = kernel.getExecutionMode();
    boolean javaMode = mode != Kernel.EXECUTION_MODE.AUTO && !mode.isOpenCL();
    if (deviceFailed || javaMode) {
      String reason =
          "the "
              + name
              + " kernel fell back from "
              + describe()
              + " to Java threads (execution mode "
              + mode
              + "); see Aparapi's warning for the cause";
      fallbackReason = reason;
      throw new KernelFallbackException(reason, null);
    }
  }

  /** Why this kernel is refused, or null while it runs on its device. */
  @Nullable String fallbackReason() {
    return fallbackReason;
  }

  String describe() {
    return "OpenCL device '" + OpenClDevices.info(device).name() + "'";
  }

  /**
   * Releases the kernel's device resources. Aparapi 3.0.2's native dispose crashes the JVM for a
   * kernel that was compiled but never launched successfully, so such a kernel is left to the
   * process exit (its compiled program stays cached by Aparapi anyway).
   */
  @Override
  public void close() {
    if (launched) {
      launched = false;
      kernel.dispose();
    }
  }
}
