package io.poolforge.compute.core.store;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.core.internal.ConcurrentIdSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} held in memory: not durable, lost when the process ends.
 *
 * <p>Records live in a {@link ConcurrentHashMap} by id, with one ordered id index per state (a set
 * of bits in chunks of 4,096 ids, {@link ConcurrentIdSet}), so an insert or a state change costs a
 * hash-map write and a bit moved between two sets, and paging by state never scans other states.
 * Batches ({@link #insert}, {@link #update}) are applied under one lock, so a batch is checked and
 * applied as a whole; reads take no lock and may see a batch half applied.
 *
 * <p>Thread-safe. Never blocks on I/O; writers wait only for each other.
 *
 * @since 0.1.0
 */
public final class InMemoryTaskStore implements TaskStore {
  private static final String NAME = "InMemoryTaskStore";

  private final Map<Long, TaskRecord> records = new ConcurrentHashMap<>();
  private final Map<TaskState, ConcurrentIdSet> byState = new EnumMap<>(TaskState.class);
  private final AtomicLong nextId = new AtomicLong(1);
  private final ReentrantLock writeLock = new ReentrantLock();
  private static final int DELETE_STEP = 1_024;
  private volatile boolean closed;

  /** Creates an empty store whose first reserved id is 1. */
  public InMemoryTaskStore() {
    for (TaskState s : TaskState.values()) {
      byState.put(s, new ConcurrentIdSet());
    }
  }

  /**
   * The number of tasks stored, in every state.
   *
   * @return the count
   */
  public int size() {
    return records.size();
  }

  @Override
  public long reserveIds(int count) {
    StoreChecks.open(closed, NAME);
    StoreChecks.reserveCount(count);
    while (true) {
      long first = nextId.get();
      if (first > Long.MAX_VALUE - count) {
        throw new PoolException(ErrorCode.RESOURCE_EXHAUSTED, "task ids are exhausted");
      }
      if (nextId.compareAndSet(first, first + count)) {
        return first;
      }
    }
  }

  @Override
  public void insert(List<TaskRecord> tasks) {
    StoreChecks.list("tasks", tasks);
    writeLock.lock();
    try {
      StoreChecks.open(closed, NAME);
      Set<Long> seen = new HashSet<>(tasks.size() * 2);
      for (TaskRecord t : tasks) {
        long id = t.id().value();
        if (!seen.add(id) || records.containsKey(id)) {
          throw PoolException.invalidArgument(
              "tasks", "task " + t.id() + " already exists; no task of the batch was stored");
        }
      }
      for (TaskRecord t : tasks) {
        long id = t.id().value();
        records.put(id, t);
        byState.get(t.state()).add(id);
        nextId.accumulateAndGet(id + 1, Math::max);
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void update(List<TaskRecord> tasks) {
    StoreChecks.list("tasks", tasks);
    writeLock.lock();
    try {
      StoreChecks.open(closed, NAME);
      for (TaskRecord t : tasks) {
        if (!records.containsKey(t.id().value())) {
          throw new PoolException(
              ErrorCode.NOT_FOUND,
              "tasks: task " + t.id() + " does not exist; no task of the batch was stored");
        }
      }
      for (TaskRecord t : tasks) {
        long id = t.id().value();
        TaskRecord old = records.put(id, t);
        if (old != null && old.state() != t.state()) {
          byState.get(old.state()).remove(id);
          byState.get(t.state()).add(id);
        }
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Optional<TaskRecord> get(TaskId id) {
    StoreChecks.notNull("id", id);
    StoreChecks.open(closed, NAME);
    return Optional.ofNullable(records.get(id.value()));
  }

  @Override
  public Page<TaskRecord> list(TaskState state, @Nullable String cursor, int limit) {
    StoreChecks.notNull("state", state);
    Page.checkLimit(limit);
    long after = StoreChecks.parseCursor(cursor);
    StoreChecks.open(closed, NAME);
    List<TaskRecord> items = new ArrayList<>(Math.min(limit, 256));
    PrimitiveIterator.OfLong it = byState.get(state).after(after);
    while (it.hasNext() && items.size() < limit) {
      TaskRecord r = records.get(it.nextLong());
      // A concurrent update may have moved the record to another state; skip it then.
      if (r != null && r.state() == state) {
        items.add(r);
      }
    }
    String next =
        items.size() == limit && it.hasNext()
            ? Long.toString(items.get(items.size() - 1).id().value())
            : null;
    return new Page<>(items, next);
  }

  @Override
  public void forEachUnfinished(Consumer<TaskRecord> sink) {
    StoreChecks.notNull("sink", sink);
    StoreChecks.open(closed, NAME);
    // Merge the ordered indexes of the non-terminal states by ascending id.
    record Head(long id, PrimitiveIterator.OfLong rest) {}
    PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Long.compare(a.id, b.id));
    for (TaskState s : TaskState.values()) {
      if (!s.isTerminal()) {
        PrimitiveIterator.OfLong it = byState.get(s).after(0);
        if (it.hasNext()) {
          heads.add(new Head(it.nextLong(), it));
        }
      }
    }
    long last = 0;
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      if (h.rest.hasNext()) {
        heads.add(new Head(h.rest.nextLong(), h.rest));
      }
      TaskRecord r = records.get(h.id);
      if (h.id > last && r != null && !r.state().isTerminal()) {
        last = h.id;
        sink.accept(r);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes in steps of at most {@value #DELETE_STEP} records, taking the write lock for each
   * step only, so that inserts and updates wait for one step at most, not for the whole sweep.
   */
  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    StoreChecks.notNull("cutoff", cutoff);
    StoreChecks.open(closed, NAME);
    int deleted = 0;
    long[] step = new long[DELETE_STEP];
    for (TaskState s : TaskState.values()) {
      if (!s.isTerminal()) {
        continue;
      }
      ConcurrentIdSet ids = byState.get(s);
      PrimitiveIterator.OfLong it = ids.after(0);
      while (it.hasNext()) {
        int n = 0;
        while (n < DELETE_STEP && it.hasNext()) {
          long id = it.nextLong();
          TaskRecord r = records.get(id);
          if (r != null && r.updatedAt().isBefore(cutoff)) {
            step[n++] = id;
          }
        }
        deleted += deleteStep(ids, s, step, n, cutoff);
      }
    }
    return deleted;
  }

  /** Deletes the records of a step that are still in that state and older than the cutoff. */
  private int deleteStep(ConcurrentIdSet ids, TaskState state, long[] step, int n, Instant cutoff) {
    if (n == 0) {
      return 0;
    }
    int deleted = 0;
    writeLock.lock();
    try {
      StoreChecks.open(closed, NAME);
      for (int i = 0; i < n; i++) {
        long id = step[i];
        TaskRecord r = records.get(id);
        if (r != null && r.state() == state && r.updatedAt().isBefore(cutoff)) {
          records.remove(id);
          ids.remove(id);
          deleted++;
        }
      }
    } finally {
      writeLock.unlock();
    }
    return deleted;
  }

  @Override
  public void close() {
    closed = true;
  }
}
