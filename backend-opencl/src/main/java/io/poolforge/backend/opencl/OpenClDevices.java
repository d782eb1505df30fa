package io.poolforge.backend.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.DeviceInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the OpenCL devices of every platform through Aparapi and orders them by preference: GPUs
 * first, then accelerators, then CPUs; within a type, more compute units first. Thread-safe.
 */
final class OpenClDevices {
  private OpenClDevices() {}

  /**
   * Lists the devices, best first. Loads Aparapi's native library on first use.
   *
   * @return the devices; empty without an OpenCL platform
   * @throws Throwable whatever the native layer throws (missing library, broken driver)
   */
  static List<OpenCLDevice> discover() {
    List<OpenCLDevice> all = new ArrayList<>(OpenCLDevice.listDevices(null));
    all.sort(
        Comparator.comparingInt((OpenCLDevice d) -> rank(d.getType()))
            .thenComparing(Comparator.comparingInt(OpenCLDevice::getMaxComputeUnits).reversed()));
    return List.copyOf(all);
  }

  /** Whether an OpenCL platform with at least one device is present. Never throws. */
  static boolean present() {
    try {
      return !discover().isEmpty();
    } catch (Throwable t) {
      // No libOpenCL, no ICD, no native library for this platform: not available.
      return false;
    }
  }

  static boolean isGpu(OpenCLDevice device) {
    return device.getType() == Device.TYPE.GPU;
  }

  /** Describes a device as compute-api sees it. */
  static DeviceInfo info(OpenCLDevice device) {
    String name = device.getName();
    if (name == null || name.isBlank()) {
      name = device.getType() + " device " + device.getDeviceId();
    }
    name = name.strip();
    if (name.length() > 256) {
      name = name.substring(0, 256);
    }
    return new DeviceInfo(
        OpenClBackendProvider.ID,
        name,
        Math.max(0, device.getGlobalMemSize()),
        Math.max(1, device.getMaxComputeUnits()),
        isGpu(device));
  }

  private static int rank(Device.TYPE type) {
    return switch (type) {
      case GPU -> 0;
      case ACC -> 1;
      case CPU -> 2;
      default -> 3;
    };
  }
}
