package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.TaskStatus;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * The statuses of the most recently finished tasks, kept in memory for {@code status} and, when the
 * pool has no store, for queries of terminal states.
 *
 * <p>Without a store the statuses must be paged in id order, so they live in a sorted map and the
 * lowest id goes first when the retention is exceeded (as a store would keep the oldest longest,
 * this keeps the newest). With a store, queries of terminal states go to the store and this is only
 * a cache of recent statuses: a hash map with finish-order eviction, which costs a fraction of a
 * sorted map's insert and removal on the completion path.
 *
 * <p>Thread-safe for readers; {@link #add} has one caller at a time (the scheduler thread).
 */
final class FinishedTasks {
  private final int retention;
  private final @Nullable ConcurrentSkipListMap<Long, TaskStatus> sorted;
  private final @Nullable ConcurrentHashMap<Long, TaskStatus> byId;
  // finish order of byId's keys, a ring that grows up to the retention (writer-owned)
  private long[] ring = new long[0];
  private int head;
  private int size;

  FinishedTasks(int retention, boolean ordered) {
    this.retention = retention;
    this.sorted = ordered ? new ConcurrentSkipListMap<>() : null;
    this.byId = ordered ? null : new ConcurrentHashMap<>();
  }

  /** Records a finished task, evicting the oldest beyond the retention (single writer). */
  void add(TaskStatus status) {
    if (retention == 0) {
      return;
    }
    long id = status.id().value();
    if (sorted != null) {
      if (sorted.put(id, status) == null && ++size > retention) {
        sorted.pollFirstEntry();
        size--;
      }
      return;
    }
    if (byId.put(id, status) != null) {
      return;
    }
    if (size == retention) {
      byId.remove(ring[head]);
      ring[head] = id;
      head = (head + 1) % ring.length;
      return;
    }
    if (size == ring.length) {
      long[] grown = new long[(int) Math.min(retention, Math.max(16L, 2L * ring.length))];
      for (int i = 0; i < size; i++) {
        grown[i] = ring[(head + i) % ring.length];
      }
      Arrays.fill(ring, 0);
      ring = grown;
      head = 0;
    }
    ring[(head + size) % ring.length] = id;
    size++;
  }

  @Nullable TaskStatus get(long id) {
    return sorted != null ? sorted.get(id) : byId.get(id);
  }

  /**
   * The statuses with ids above {@code after}, in id order; only when kept in order.
   *
   * @throws IllegalStateException if this is a cache without order (the pool has a store)
   */
  Collection<TaskStatus> after(long after) {
    if (sorted == null) {
      throw new IllegalStateException("finished tasks are paged from the store");
    }
    return sorted.tailMap(after, false).values();
  }
}
