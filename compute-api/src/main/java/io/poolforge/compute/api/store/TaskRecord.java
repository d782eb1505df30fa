package io.poolforge.compute.api.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task as a {@link TaskStore} keeps it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the task
 * @param spec what was submitted
 * @param state where it is
 * @param attempts how many times it was assigned
 * @param submittedAt when it was accepted
 * @param updatedAt when it last changed
 * @param worker the worker holding the lease while RUNNING, the worker of the accepted result when
 *     COMPLETED; null otherwise
 * @param result the accepted output, if COMPLETED
 * @param failure why it failed, if FAILED or CANCELLED
 * @param checkpoint the latest checkpoint, if any
 * @since 0.1.0
 */
public record TaskRecord(
    TaskId id,
    TaskSpec spec,
    TaskState state,
    int attempts,
    Instant submittedAt,
    Instant updatedAt,
    @Nullable WorkerId worker,
    @Nullable Bytes result,
    TaskStatus.@Nullable Failure failure,
    @Nullable Bytes checkpoint) {
  /** Validates the fields. */
  public TaskRecord {
    Checks.notNull("id", id);
    Checks.notNull("spec", spec);
    Checks.notNull("state", state);
    Checks.range("attempts", attempts, 0, Integer.MAX_VALUE);
    Checks.notNull("submittedAt", submittedAt);
    Checks.notNull("updatedAt", updatedAt);
  }

  /**
   * A newly accepted task.
   *
   * @param id the id
   * @param spec the spec
   * @param at when it was accepted
   * @return a QUEUED record
   */
  public static TaskRecord queued(TaskId id, TaskSpec spec, Instant at) {
    return new TaskRecord(id, spec, TaskState.QUEUED, 0, at, at, null, null, null, null);
  }

  /**
   * The record as a status snapshot.
   *
   * @return the status
   */
  public TaskStatus toStatus() {
    return new TaskStatus(
        id,
        spec.kind(),
        state,
        spec.priority(),
        spec.submitter(),
        attempts,
        submittedAt,
        updatedAt,
        worker,
        failure);
  }
}
