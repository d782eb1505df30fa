package io.poolforge.compute.api;

import java.util.concurrent.CompletableFuture;

/**
 * The caller's view of one submitted task.
 *
 * <p>Thread-safe. Its methods do not block; the futures complete on pool threads, so callers should
 * not run long work in their callbacks.
 *
 * @since 0.1.0
 */
public interface TaskHandle {
  /**
   * The task's id.
   *
   * @return the id
   */
  TaskId id();

  /**
   * Completes once the submission is durable in the pool's store (at once for an in-memory store).
   * Completes exceptionally with a {@link PoolException} if it could not be stored, in which case
   * the task does not exist.
   *
   * @return the acceptance future
   */
  CompletableFuture<TaskId> accepted();

  /**
   * Completes with the verified result, or exceptionally with a {@link PoolException}: FAILED tasks
   * with their failure's code, cancelled ones with CANCELLED, expired ones with DEADLINE_EXCEEDED.
   *
   * @return the result future
   */
  CompletableFuture<TaskResult> result();
}
