package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.util.regex.Pattern;

/**
 * Identifies a worker. Workers choose their own ids when they register; the coordinator binds an id
 * to the worker's public key, so an id cannot be taken over by another key.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value 1-128 characters of {@code [A-Za-z0-9._:@-]}
 * @since 0.1.0
 */
public record WorkerId(String value) implements Comparable<WorkerId> {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  /** Validates the id. */
  public WorkerId {
    Checks.matches("workerId", value, FORM, "must be 1-128 characters of [A-Za-z0-9._:@-]");
  }

  @Override
  public int compareTo(WorkerId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
