package io.poolforge.compute.core;

import io.poolforge.compute.api.PoolException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Argument checks of the builders in this package; failures name the field and the limit. */
final class Args {
  private Args() {}

  static <T> T notNull(String field, @Nullable T value) {
    if (value == null) {
      throw PoolException.invalidArgument(field, "must not be null");
    }
    return value;
  }

  static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw PoolException.invalidArgument(
          field, "is " + value + ", must be in [" + min + ", " + max + "]");
    }
    return value;
  }

  static long nonNegative(String field, long value) {
    if (value < 0) {
      throw PoolException.invalidArgument(field, "is " + value + ", must be >= 0");
    }
    return value;
  }

  static Duration positive(String field, @Nullable Duration value) {
    notNull(field, value);
    if (value.isNegative() || value.isZero()) {
      throw PoolException.invalidArgument(field, "is " + value + ", must be positive");
    }
    return value;
  }
}
