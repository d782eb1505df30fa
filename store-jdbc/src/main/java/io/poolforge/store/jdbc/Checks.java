package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Argument checks of the JDBC stores; failures are INVALID_ARGUMENT naming the field. */
final class Checks {
  private Checks() {}

  static <T> T notNull(String field, @Nullable T value) {
    if (value == null) {
      throw PoolException.invalidArgument(field, "must not be null");
    }
    return value;
  }

  static <T> List<T> list(String field, @Nullable List<T> values) {
    notNull(field, values);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw PoolException.invalidArgument(field + "[" + i + "]", "must not be null");
      }
    }
    return values;
  }

  /** A page cursor is the decimal id of the last task of the previous page. */
  static long cursor(@Nullable String cursor) {
    if (cursor == null) {
      return 0;
    }
    if (cursor.length() <= 19 && !cursor.isEmpty() && cursor.chars().allMatch(Character::isDigit)) {
      long v = Long.parseLong(cursor);
      if (v > 0) {
        return v;
      }
    }
    String shown = cursor.length() <= 40 ? cursor : cursor.substring(0, 37) + "...";
    throw PoolException.invalidArgument(
        "cursor", "'" + shown + "' is not a cursor returned by a previous page");
  }
}
