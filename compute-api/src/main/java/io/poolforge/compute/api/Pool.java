package io.poolforge.compute.api;

import java.util.List;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator of a compute pool, as an application sees it: submit work, follow it, cancel it,
 * and subscribe to what happens. compute-core provides the implementation and its builder.
 *
 * <p>Thread-safe: any number of threads may submit and query at once. {@link #submit} and {@link
 * #submitAll} do not block on storage; durability is reported through {@link
 * TaskHandle#accepted()}. Queries may block briefly on the store.
 *
 * @since 0.1.0
 */
public interface Pool extends AutoCloseable {
  /**
   * Submits a task.
   *
   * @param spec the task
   * @return its handle; {@link TaskHandle#accepted()} completes once the task is durable
   * @throws PoolException INVALID_ARGUMENT for an unknown kind or bad payload, naming the field and
   *     limit; RESOURCE_EXHAUSTED when the queue is full; UNAVAILABLE after close
   */
  TaskHandle submit(TaskSpec spec);

  /**
   * Submits a typed input of a kind with default options.
   *
   * @param kind the kind, which must be registered with the pool
   * @param input the input
   * @param <I> the input type
   * @return the handle
   */
  default <I> TaskHandle submit(TaskKind<I, ?> kind, I input) {
    return submit(TaskSpec.builder(kind.id(), kind.inputCodec().encode(input)).build());
  }

  /**
   * Submits many tasks; they share one durable write where the store allows. Either every spec is
   * accepted for queueing or, when one is invalid or the queue lacks room for all, none is.
   *
   * @param specs the tasks, at most {@link Page#MAX_LIMIT} per call
   * @return one handle per spec, in order
   * @throws PoolException as {@link #submit}, naming the index of the bad spec
   */
  List<TaskHandle> submitAll(List<TaskSpec> specs);

  /**
   * Cancels a task that has not completed. Its result future completes with CANCELLED.
   *
   * @param id the task
   * @return true if it was cancelled, false if it had already ended
   * @throws PoolException NOT_FOUND for an unknown id
   */
  boolean cancel(TaskId id);

  /**
   * The current status of a task.
   *
   * @param id the task
   * @return its status
   * @throws PoolException NOT_FOUND for an unknown id
   */
  TaskStatus status(TaskId id);

  /**
   * Pages through tasks in one state, oldest first.
   *
   * <p>A call does bounded work: an implementation may examine only so many tasks per call and
   * return a page with fewer than {@code limit} items (even none) together with a non-null {@link
   * Page#nextCursor()}. Only a null cursor means the end; callers loop until they get one.
   *
   * @param state the state
   * @param cursor the previous page's {@link Page#nextCursor()}, or null for the first page
   * @param limit the page size, 1 to {@link Page#MAX_LIMIT}
   * @return the page
   * @throws PoolException INVALID_ARGUMENT for a bad cursor or limit
   */
  Page<TaskStatus> query(TaskState state, @Nullable String cursor, int limit);

  /**
   * The workers connected now.
   *
   * @return a snapshot
   */
  List<WorkerInfo> workers();

  /**
   * Events as they happen. Each subscriber gets its own bounded buffer; a subscriber that falls too
   * far behind is cancelled with {@code onError(PoolException RESOURCE_EXHAUSTED)} rather than
   * slowing the pool.
   *
   * @return a publisher of this pool's events
   */
  Flow.Publisher<PoolEvent> events();

  /**
   * Stops accepting work, waits for accepted submissions to become durable, and releases resources.
   * Queued tasks stay in a durable store for the next start. Idempotent; may block.
   */
  @Override
  void close();
}
