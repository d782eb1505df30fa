package io.poolforge.compute.api.store;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Durable storage of tasks. The coordinator batches submissions and calls {@link #insert} once per
 * batch (group commit), so one durable write serves many submitters.
 *
 * <p>Implementations are thread-safe. Every method may block on I/O; the coordinator calls them off
 * its scheduling thread.
 *
 * @since 0.1.0
 */
public interface TaskStore extends AutoCloseable {
  /**
   * Reserves a block of task ids that no other caller, in this process or another sharing the
   * store, will get.
   *
   * @param count how many, 1-1,000,000
   * @return the first id of the block; the block is {@code [first, first + count)}
   */
  long reserveIds(int count);

  /**
   * Inserts new tasks in one transaction; durable when it returns.
   *
   * @param tasks new records with ids from {@link #reserveIds}
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT if an id already exists (no
   *     record of the batch is then stored); UNAVAILABLE if the store cannot be written
   */
  void insert(List<TaskRecord> tasks);

  /**
   * Replaces existing records (state changes) in one transaction; durable when it returns.
   *
   * @param tasks the new versions
   * @throws io.poolforge.compute.api.PoolException NOT_FOUND if an id does not exist (nothing of
   *     the batch is then stored)
   */
  void update(List<TaskRecord> tasks);

  /**
   * {@link #insert(List)} for a coordinator that schedules under a {@link LeaderLease}: the insert
   * commits only if {@code fencingToken} is still the lease's current token, checked in the same
   * transaction, so a former leader that was paused while another took over cannot write.
   *
   * @param tasks new records with ids from {@link #reserveIds}
   * @param fencingToken the writer's {@link LeaderLease#fencingToken()}, &gt;= 1
   * @throws io.poolforge.compute.api.PoolException FAILED_PRECONDITION if the token is stale or the
   *     store keeps no leader lease (nothing of the batch is then stored); otherwise as {@link
   *     #insert(List)}
   * @since 0.1.0
   */
  default void insert(List<TaskRecord> tasks, long fencingToken) {
    throw new PoolException(
        ErrorCode.FAILED_PRECONDITION,
        "fencingToken: " + getClass().getName() + " keeps no leader lease to fence writes with");
  }

  /**
   * {@link #update(List)} for a coordinator that schedules under a {@link LeaderLease}: the update
   * commits only if {@code fencingToken} is still the lease's current token, checked in the same
   * transaction, so a former leader cannot complete or requeue tasks after a takeover.
   *
   * @param tasks the new versions
   * @param fencingToken the writer's {@link LeaderLease#fencingToken()}, &gt;= 1
   * @throws io.poolforge.compute.api.PoolException FAILED_PRECONDITION if the token is stale or the
   *     store keeps no leader lease (nothing of the batch is then stored); otherwise as {@link
   *     #update(List)}
   * @since 0.1.0
   */
  default void update(List<TaskRecord> tasks, long fencingToken) {
    throw new PoolException(
        ErrorCode.FAILED_PRECONDITION,
        "fencingToken: " + getClass().getName() + " keeps no leader lease to fence writes with");
  }

  /**
   * One task.
   *
   * @param id the task
   * @return the record, or empty if unknown
   */
  Optional<TaskRecord> get(TaskId id);

  /**
   * Pages through tasks in one state by ascending id.
   *
   * @param state the state
   * @param cursor a previous page's cursor, or null
   * @param limit the page size, 1 to {@link Page#MAX_LIMIT}
   * @return the page
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT for a malformed cursor
   */
  Page<TaskRecord> list(TaskState state, @Nullable String cursor, int limit);

  /**
   * Streams every task that has not reached a terminal state, by ascending id: what a coordinator
   * reloads after a restart.
   *
   * @param sink receives each record
   */
  void forEachUnfinished(Consumer<TaskRecord> sink);

  /**
   * Deletes terminal tasks last updated before {@code cutoff} (the retention job).
   *
   * @param cutoff the oldest update time to keep
   * @return how many were deleted
   */
  int deleteFinishedBefore(Instant cutoff);

  /** Releases connections and files. Idempotent. */
  @Override
  void close();
}
