package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;

/**
 * One compute device a backend drives: a GPU, an OpenCL device or the CPU.
 *
 * <p>Immutable and thread-safe.
 *
 * @param backend the backend id that drives it, such as "cuda"
 * @param name the device's own name, such as "NVIDIA H100 80GB HBM3"
 * @param memoryBytes the device memory, &gt;= 0 (host memory for the CPU)
 * @param computeUnits streaming multiprocessors, OpenCL compute units or CPU cores, &gt;= 1
 * @param gpu whether the device is a GPU
 * @since 0.1.0
 */
public record DeviceInfo(
    String backend, String name, long memoryBytes, int computeUnits, boolean gpu) {
  /** Validates the fields. */
  public DeviceInfo {
    Checks.name("device.backend", backend);
    Checks.notBlank("device.name", name, 256);
    Checks.nonNegative("device.memoryBytes", memoryBytes);
    Checks.range("device.computeUnits", computeUnits, 1, 1 << 20);
  }
}
