package io.poolforge.compute.api.internal;

import io.poolforge.compute.api.PoolException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks shared by the records of compute-api. Each failure is a {@link PoolException}
 * with {@code INVALID_ARGUMENT} that names the field and the limit. Not exported from the module.
 */
public final class Checks {
  /** Identifiers: kinds, backends, tags, labels. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private Checks() {}

  public static <T> T notNull(String field, @Nullable T value) {
    if (value == null) {
      throw PoolException.invalidArgument(field, "must not be null");
    }
    return value;
  }

  public static String matches(String field, @Nullable String value, Pattern pattern, String rule) {
    notNull(field, value);
    if (!pattern.matcher(value).matches()) {
      throw PoolException.invalidArgument(field, "'" + abbreviate(value) + "' " + rule);
    }
    return value;
  }

  /**
   * Checks an identifier against {@link #NAME} by a plain scan: names are checked on hot paths (a
   * {@code TaskResult} per completed task), where a regex matcher per call cost about a tenth of
   * the in-process engine's CPU.
   */
  public static String name(String field, @Nullable String value) {
    notNull(field, value);
    if (!isName(value)) {
      throw PoolException.invalidArgument(
          field,
          "'"
              + abbreviate(value)
              + "' must be 1-64 characters of [a-z0-9._-], starting with [a-z0-9]");
    }
    return value;
  }

  /**
   * Whether {@code value} matches {@link #NAME}.
   *
   * @param value the string
   * @return true for 1-64 characters of [a-z0-9._-] starting with [a-z0-9]
   */
  public static boolean isName(String value) {
    int n = value.length();
    if (n < 1 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  public static String notBlank(String field, @Nullable String value, int maxLength) {
    notNull(field, value);
    if (value.isBlank()) {
      throw PoolException.invalidArgument(field, "must not be blank");
    }
    if (value.length() > maxLength) {
      throw PoolException.invalidArgument(
          field, "length " + value.length() + " exceeds the limit of " + maxLength);
    }
    return value;
  }

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw PoolException.invalidArgument(
          field, "is " + value + ", must be in [" + min + ", " + max + "]");
    }
    return value;
  }

  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw PoolException.invalidArgument(
          field, "is " + value + ", must be in [" + min + ", " + max + "]");
    }
    return value;
  }

  public static double range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw PoolException.invalidArgument(
          field, "is " + value + ", must be in [" + min + ", " + max + "]");
    }
    return value;
  }

  public static long nonNegative(String field, long value) {
    if (value < 0) {
      throw PoolException.invalidArgument(field, "is " + value + ", must be >= 0");
    }
    return value;
  }

  public static Duration positive(String field, @Nullable Duration value) {
    notNull(field, value);
    if (value.isNegative() || value.isZero()) {
      throw PoolException.invalidArgument(field, "is " + value + ", must be positive");
    }
    return value;
  }

  public static <C extends Collection<?>> C size(String field, @Nullable C value, int max) {
    notNull(field, value);
    if (value.size() > max) {
      throw PoolException.invalidArgument(
          field, "has " + value.size() + " elements, the limit is " + max);
    }
    for (Object o : value) {
      if (o == null) {
        throw PoolException.invalidArgument(field, "must not contain null");
      }
    }
    return value;
  }

  public static <M extends Map<?, ?>> M size(String field, @Nullable M value, int max) {
    notNull(field, value);
    if (value.size() > max) {
      throw PoolException.invalidArgument(
          field, "has " + value.size() + " entries, the limit is " + max);
    }
    value.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw PoolException.invalidArgument(field, "must not contain null keys or values");
          }
        });
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
