package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a cursor-paged query.
 *
 * <p>Immutable and thread-safe.
 *
 * @param items the page's items, in a stable order
 * @param nextCursor the cursor for the next page, or null when this is the last
 * @param <T> the item type
 * @since 0.1.0
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
  /** The most items a page may hold. */
  public static final int MAX_LIMIT = 10_000;

  /** Copies the items. */
  public Page {
    items = List.copyOf(Checks.notNull("items", items));
  }

  /**
   * Checks a page size asked for by a caller.
   *
   * @param limit the requested size
   * @return the same size
   * @throws PoolException INVALID_ARGUMENT if not in [1, {@value #MAX_LIMIT}]
   */
  public static int checkLimit(int limit) {
    return Checks.range("limit", limit, 1, MAX_LIMIT);
  }
}
