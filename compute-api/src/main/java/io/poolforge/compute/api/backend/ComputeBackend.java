package io.poolforge.compute.api.backend;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.TaskKind;
import java.util.List;
import java.util.Set;

/**
 * Executes batches of tasks on some hardware: the CPU, CUDA GPUs, OpenCL devices.
 *
 * <p>Implementations are thread-safe: a worker may call {@link #execute} from several threads at
 * once, and the backend schedules the work onto its own device threads. {@link #execute} blocks
 * until the batch is done.
 *
 * @since 0.1.0
 */
public interface ComputeBackend extends AutoCloseable {
  /**
   * The backend's id, such as "cpu", "cuda" or "opencl".
   *
   * @return the id
   */
  String id();

  /**
   * The devices it drives.
   *
   * @return a snapshot, never empty
   */
  List<DeviceInfo> devices();

  /**
   * The ids of the task kinds it executes.
   *
   * @return the kind ids
   */
  Set<String> kinds();

  /**
   * Executes a batch of one kind.
   *
   * @param kind the kind; its id must be in {@link #kinds()}
   * @param inputs valid inputs, at least one
   * @param context checkpoint and cancellation for the batch
   * @param <I> the input type
   * @param <O> the output type
   * @return one output per input, in order
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT for a kind it does not run or
   *     an input it cannot take; INTERNAL or UNAVAILABLE for a device failure
   */
  <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context);

  /** Releases devices and threads. Idempotent. */
  @Override
  void close();
}
