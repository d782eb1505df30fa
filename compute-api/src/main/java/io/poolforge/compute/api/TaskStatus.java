package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one task's state, as status queries return it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the task
 * @param kind its kind id
 * @param state its state
 * @param priority its priority
 * @param submitter who submitted it
 * @param attempts how many times it has been assigned
 * @param submittedAt when it was accepted
 * @param updatedAt when its state last changed
 * @param worker the worker that produced the accepted result, or that runs it now, if any
 * @param failure why it failed or was cancelled, if it did
 * @since 0.1.0
 */
public record TaskStatus(
    TaskId id,
    String kind,
    TaskState state,
    int priority,
    String submitter,
    int attempts,
    Instant submittedAt,
    Instant updatedAt,
    @Nullable WorkerId worker,
    @Nullable Failure failure) {
  /** Validates the fields. */
  public TaskStatus {
    Checks.notNull("id", id);
    Checks.name("kind", kind);
    Checks.notNull("state", state);
    Priority.check(priority);
    Checks.notNull("submitter", submitter);
    Checks.range("attempts", attempts, 0, Integer.MAX_VALUE);
    Checks.notNull("submittedAt", submittedAt);
    Checks.notNull("updatedAt", updatedAt);
    if ((state == TaskState.FAILED) != (failure != null) && state != TaskState.CANCELLED) {
      throw PoolException.invalidArgument(
          "failure", "must be present exactly when state is FAILED (state is " + state + ")");
    }
  }

  /**
   * Why a task failed.
   *
   * @param code the category
   * @param message what happened
   * @since 0.1.0
   */
  public record Failure(ErrorCode code, String message) {
    /** Validates the fields. */
    public Failure {
      Checks.notNull("failure.code", code);
      Checks.notNull("failure.message", message);
    }

    /**
     * The failure as an exception, to complete a future with.
     *
     * @return a new exception
     */
    public PoolException toException() {
      return new PoolException(code, message);
    }
  }
}
