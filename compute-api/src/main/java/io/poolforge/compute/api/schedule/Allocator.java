package io.poolforge.compute.api.schedule;

import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Places tasks of one scheduling lane onto that lane's workers. The scheduler tells it when workers
 * join, leave or change, so it can keep whatever index makes {@link #pick} fast: a pick must not
 * scan every worker.
 *
 * <p>Not thread-safe: only the scheduler thread calls it.
 *
 * @since 0.1.0
 */
public interface Allocator {
  /**
   * A worker joined the lane.
   *
   * @param worker the worker
   */
  void added(WorkerView worker);

  /**
   * A worker left the lane.
   *
   * @param worker the worker
   */
  void removed(WorkerView worker);

  /**
   * A worker's credit, load or speed changed.
   *
   * @param worker the worker
   */
  void changed(WorkerView worker);

  /**
   * Chooses a worker with free credit for a task.
   *
   * @param kind the task's kind id
   * @param affinity the worker preferred for data locality or resumption, or null
   * @param excluded workers that must not get it (replicas of the same task, same owner)
   * @return the chosen worker, or null if none has free credit
   */
  @Nullable WorkerView pick(
      String kind, @Nullable WorkerView affinity, Predicate<WorkerView> excluded);
}
