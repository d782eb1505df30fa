package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.time.Instant;

/**
 * The verified result of a task.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the task
 * @param kind its kind id
 * @param output the output, encoded by the kind's output codec
 * @param worker the worker whose result was accepted
 * @param attempt the attempt that produced it, from 1
 * @param completedAt when it was accepted
 * @since 0.1.0
 */
public record TaskResult(
    TaskId id, String kind, Bytes output, WorkerId worker, int attempt, Instant completedAt) {
  /** Validates the fields. */
  public TaskResult {
    Checks.notNull("id", id);
    Checks.name("kind", kind);
    Checks.notNull("output", output);
    Checks.notNull("worker", worker);
    Checks.range("attempt", attempt, 1, Integer.MAX_VALUE);
    Checks.notNull("completedAt", completedAt);
  }

  /**
   * Decodes the output with the kind's codec.
   *
   * @param taskKind the kind that ran the task; its id must match {@link #kind()}
   * @param <O> the output type
   * @return the decoded output
   */
  public <O> O output(TaskKind<?, O> taskKind) {
    if (!taskKind.id().equals(kind)) {
      throw PoolException.invalidArgument(
          "taskKind", "is '" + taskKind.id() + "' but the result is of kind '" + kind + "'");
    }
    return taskKind.outputCodec().decode(output);
  }
}
