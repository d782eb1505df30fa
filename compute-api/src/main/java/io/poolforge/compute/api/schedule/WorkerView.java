package io.poolforge.compute.api.schedule;

import io.poolforge.compute.api.WorkerId;

/**
 * What an allocator may read about a worker when placing a task. Views are owned by the scheduler
 * and change between calls.
 *
 * <p>Not thread-safe: read only on the scheduler thread, inside an {@link Allocator} call.
 *
 * @since 0.1.0
 */
public interface WorkerView {
  /**
   * The worker's id.
   *
   * @return the id
   */
  WorkerId id();

  /**
   * A dense index, stable while the worker is connected, for allocators that keep arrays.
   *
   * @return an index &gt;= 0
   */
  int index();

  /**
   * Who operates it.
   *
   * @return the owner
   */
  String owner();

  /**
   * Tasks it has granted room for and not yet received.
   *
   * @return free credit, &gt;= 0
   */
  int freeCredit();

  /**
   * Tasks assigned to it and not yet answered.
   *
   * @return in-flight tasks
   */
  int inFlight();

  /**
   * Its last reported utilization, the larger of CPU and device, in [0, 1].
   *
   * @return the load
   */
  double load();

  /**
   * Its last reported free device memory.
   *
   * @return bytes
   */
  long freeDeviceMemoryBytes();

  /**
   * Its measured speed for a kind, as nanoseconds per task (smoothed); 0 if not measured yet.
   *
   * @param kind the kind id
   * @return nanoseconds per task
   */
  double nanosPerTask(String kind);

  /**
   * Its measured round-trip latency (smoothed).
   *
   * @return nanoseconds
   */
  double latencyNanos();

  /**
   * Its credibility for a kind, in [0, 1].
   *
   * @param kind the kind id
   * @return the credibility
   */
  double credibility(String kind);
}
