package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.internal.Checks;

/**
 * A worker's periodic sign of life with load figures; it renews the worker's leases.
 *
 * <p>Immutable and thread-safe.
 *
 * @param cpuLoad recent CPU utilization in [0, 1]
 * @param deviceLoad recent accelerator utilization in [0, 1] (0 without one)
 * @param freeDeviceMemoryBytes free device memory now, &gt;= 0
 * @param runningTasks tasks executing now, &gt;= 0
 * @param queuedTasks tasks received and waiting on the worker, &gt;= 0
 * @since 0.1.0
 */
public record Heartbeat(
    double cpuLoad,
    double deviceLoad,
    long freeDeviceMemoryBytes,
    int runningTasks,
    int queuedTasks) {
  /** Validates the fields. */
  public Heartbeat {
    Checks.range("cpuLoad", cpuLoad, 0.0, 1.0);
    Checks.range("deviceLoad", deviceLoad, 0.0, 1.0);
    Checks.nonNegative("freeDeviceMemoryBytes", freeDeviceMemoryBytes);
    Checks.range("runningTasks", runningTasks, 0, Integer.MAX_VALUE);
    Checks.range("queuedTasks", queuedTasks, 0, Integer.MAX_VALUE);
  }
}
