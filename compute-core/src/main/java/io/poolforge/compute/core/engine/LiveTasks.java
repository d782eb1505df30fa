package io.poolforge.compute.core.engine;

import io.poolforge.compute.core.internal.ConcurrentIdSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The engine's unfinished top-level tasks by id: a hash map for lookups, and a {@link
 * ConcurrentIdSet} of the same ids for paging in id order (a sorted map would pay a skip-list
 * insert and removal per task on the submit and completion paths).
 *
 * <p>The map is the truth; the id set follows it. Each change updates the map first: a put then
 * adds the id, a removal removes the id and puts it back if the map holds the id again (a racing
 * put of the same id). Readers of the order skip ids whose entry is gone, and repair such an id the
 * same way, so an id left behind by a put racing a removal of the same entry does not stay.
 *
 * <p>Thread-safe; does not block.
 */
final class LiveTasks {
  private final ConcurrentHashMap<Long, TaskEntry> byId = new ConcurrentHashMap<>();
  private final ConcurrentIdSet ids = new ConcurrentIdSet();

  /** Adds or replaces the entry of {@code e}'s id. */
  void put(TaskEntry e) {
    long id = e.id.value();
    byId.put(id, e);
    ids.add(id);
  }

  @Nullable TaskEntry get(long id) {
    return byId.get(id);
  }

  /** Removes the entry of {@code id}, whichever it is. */
  void remove(long id) {
    if (byId.remove(id) != null) {
      unindex(id);
    }
  }

  /**
   * Removes {@code e} if it is still the entry of its id.
   *
   * @return true if it was, and is now removed
   */
  boolean remove(TaskEntry e) {
    long id = e.id.value();
    if (byId.remove(id, e)) {
      unindex(id);
      return true;
    }
    return false;
  }

  /** Removes every entry, returning those this call removed. */
  List<TaskEntry> removeAll() {
    List<TaskEntry> removed = new ArrayList<>(byId.size());
    for (TaskEntry e : byId.values()) {
      if (remove(e)) {
        removed.add(e);
      }
    }
    return removed;
  }

  /** The entries in no particular order (a weakly consistent view). */
  Collection<TaskEntry> values() {
    return byId.values();
  }

  /**
   * The entries with ids above {@code after} in increasing id order, weakly consistent (as {@link
   * ConcurrentIdSet#after} is): entries removed during the walk may or may not be returned.
   *
   * @param after the bound, exclusive
   * @return a view whose iterators are not thread-safe themselves and do not support removal
   */
  Iterable<TaskEntry> after(long after) {
    return () -> new Entries(ids.after(after));
  }

  private void unindex(long id) {
    ids.remove(id);
    if (byId.containsKey(id)) {
      ids.add(id); // put back by a racing put meanwhile
    }
  }

  /** Looks the ids up, skipping (and unindexing) those whose entry is gone. */
  private final class Entries implements Iterator<TaskEntry> {
    private final PrimitiveIterator.OfLong cursor;
    private @Nullable TaskEntry next;

    Entries(PrimitiveIterator.OfLong cursor) {
      this.cursor = cursor;
    }

    @Override
    public boolean hasNext() {
      while (next == null && cursor.hasNext()) {
        long id = cursor.nextLong();
        next = byId.get(id);
        if (next == null) {
          unindex(id); // removed meanwhile, or left behind by a racing put: see the class comment
        }
      }
      return next != null;
    }

    @Override
    public TaskEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      TaskEntry e = next;
      next = null;
      return e;
    }
  }
}
