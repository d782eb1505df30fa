package io.poolforge.compute.api;

/**
 * Identifies one task within a pool. Ids are positive and assigned by the coordinator at submit
 * time; they are unique for the lifetime of the pool's store.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the id, &gt; 0
 * @since 0.1.0
 */
public record TaskId(long value) implements Comparable<TaskId> {
  /** Validates the id. */
  public TaskId {
    if (value <= 0) {
      throw PoolException.invalidArgument("taskId", "is " + value + ", must be > 0");
    }
  }

  /**
   * Parses the form printed by {@link #toString()} or a plain decimal number.
   *
   * @param text "t-123" or "123"
   * @return the id
   */
  public static TaskId parse(String text) {
    if (text == null) {
      throw PoolException.invalidArgument("taskId", "must not be null");
    }
    String digits = text.startsWith("t-") ? text.substring(2) : text;
    try {
      return new TaskId(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      throw PoolException.invalidArgument("taskId", "'" + text + "' is not a task id like t-42");
    }
  }

  @Override
  public int compareTo(TaskId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "t-" + value;
  }
}
