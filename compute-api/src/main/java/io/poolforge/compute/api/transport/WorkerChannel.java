package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import java.util.List;

/**
 * The coordinator's side of one connected worker: what the coordinator sends to it.
 *
 * <p>Thread-safe and non-blocking: sends are queued by the transport, which never buffers more than
 * the worker granted.
 *
 * @since 0.1.0
 */
public interface WorkerChannel {
  /**
   * Sends a batch of assignments. The coordinator never sends more than the worker's granted
   * credit.
   *
   * @param assignments the batch
   */
  void assign(List<Assignment> assignments);

  /**
   * Tells the worker to stop work on tasks that were cancelled or reassigned.
   *
   * @param tasks the tasks
   */
  void revoke(List<TaskId> tasks);

  /**
   * Closes the connection.
   *
   * @param reason why, sent to the worker
   */
  void close(PoolException reason);
}
