package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The worker's handler of what the coordinator sends.
 *
 * <p>Implementations are thread-safe and non-blocking; called from the transport's threads (an
 * in-process transport may call them on the coordinator's sending thread, so a handler that blocks
 * stalls the coordinator).
 *
 * @since 0.1.0
 */
public interface WorkerListener {
  /**
   * Assignments arrived; never more than the credit granted.
   *
   * @param assignments the batch
   */
  void onAssignments(List<Assignment> assignments);

  /**
   * The coordinator withdrew tasks (cancelled or reassigned); their results are not wanted.
   *
   * @param tasks the tasks
   */
  void onRevoked(List<TaskId> tasks);

  /**
   * The connection ended.
   *
   * @param reason why, or null when closed by the worker
   */
  void onClosed(@Nullable PoolException reason);
}
