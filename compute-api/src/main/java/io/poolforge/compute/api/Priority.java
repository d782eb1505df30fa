package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;

/**
 * Task priority levels. A priority is an int from {@link #MIN} to {@link #MAX}; higher runs first.
 * Within a level tasks run in submission order, and the scheduler ages waiting tasks so that a
 * stream of higher-priority work cannot starve lower levels forever.
 *
 * @since 0.1.0
 */
public final class Priority {
  /** The lowest priority. */
  public static final int MIN = 0;

  /** Background work. */
  public static final int LOW = 2;

  /** The default. */
  public static final int NORMAL = 5;

  /** Interactive or latency-sensitive work. */
  public static final int HIGH = 8;

  /** The highest priority. */
  public static final int MAX = 9;

  /** The number of levels. */
  public static final int LEVELS = MAX - MIN + 1;

  private Priority() {}

  /**
   * Checks that {@code priority} is a valid level.
   *
   * @param priority the level
   * @return the same level
   * @throws PoolException INVALID_ARGUMENT naming the field "priority" if out of range
   */
  public static int check(int priority) {
    return Checks.range("priority", priority, MIN, MAX);
  }
}
