package io.poolforge.compute.core.store;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the in-memory stores. */
final class StoreChecks {
  private StoreChecks() {}

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

  static void open(boolean closed, String store) {
    if (closed) {
      throw new PoolException(ErrorCode.FAILED_PRECONDITION, store + " is closed");
    }
  }

  static long parseCursor(@Nullable String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      long v = Long.parseLong(cursor);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw PoolException.invalidArgument(
        "cursor", "'" + abbreviate(cursor) + "' is not a cursor returned by a previous page");
  }

  static void reserveCount(int count) {
    if (count < 1 || count > 1_000_000) {
      throw PoolException.invalidArgument("count", "is " + count + ", must be in [1, 1000000]");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
