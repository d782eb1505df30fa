package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.internal.Checks;

/**
 * One attempt of one task: the unit a lease covers and a result answers.
 *
 * <p>Immutable and thread-safe.
 *
 * @param task the task
 * @param attempt the attempt number, from 1
 * @since 0.1.0
 */
public record LeaseRef(TaskId task, int attempt) {
  /** Validates the fields. */
  public LeaseRef {
    Checks.notNull("task", task);
    Checks.range("attempt", attempt, 1, Integer.MAX_VALUE);
  }
}
