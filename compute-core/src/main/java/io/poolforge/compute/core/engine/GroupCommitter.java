package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the task store. New tasks waiting to be written are gathered into
 * one {@link TaskStore#insert} (group commit: one durable write serves every submitter that arrived
 * meanwhile); state changes are gathered into one {@link TaskStore#update}. With a retention, it
 * also deletes finished tasks older than that from the store, at most once a second. Thread-safe to
 * feed; its own thread blocks on the store.
 */
final class GroupCommitter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int MAX_BATCH = 8192;

  private final TaskStore store;
  private final Consumer<List<TaskEntry>> onInserted;
  private final BiConsumer<List<TaskEntry>, PoolException> onFailed;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  // the leader lease's token that fences every write; NO_FENCE without a lease
  private volatile long fence = NO_FENCE;
  private static final long NO_FENCE = -1;
  private static final long PRUNE_EVERY_MILLIS = 1_000;
  private final Clock clock;
  private final @Nullable Duration retention;
  private long nextPruneMillis = Long.MIN_VALUE;

  GroupCommitter(
      TaskStore store,
      Clock clock,
      @Nullable Duration retention,
      Consumer<List<TaskEntry>> onInserted,
      BiConsumer<List<TaskEntry>, PoolException> onFailed) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
    this.onInserted = onInserted;
    this.onFailed = onFailed;
    this.thread = Thread.ofPlatform().name("poolforge-commit").daemon().unstarted(this);
  }

  void start() {
    thread.start();
  }

  /** Queues new tasks for one insert; they reach the scheduler once it returns. */
  void insert(List<TaskEntry> entries) {
    queue.add(entries);
  }

  /** Queues a state change. */
  void update(TaskRecord record) {
    queue.add(record);
  }

  /**
   * Fences every later write with a leader lease's token: the store refuses it once another
   * coordinator has taken the lease over.
   */
  void fence(long token) {
    fence = token;
  }

  /**
   * Blocks until everything queued before this call has been written (or refused).
   *
   * @param timeoutMillis the longest wait
   */
  void flush(long timeoutMillis) {
    CompletableFuture<Void> marker = new CompletableFuture<>();
    queue.add(marker);
    try {
      marker.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("task store writes still pending after {} ms", timeoutMillis);
    }
  }

  /** Queues several state changes with one hand-over. */
  void updateAll(List<TaskRecord> records) {
    if (!records.isEmpty()) {
      queue.add(new Updates(records));
    }
  }

  /** Deletes finished tasks past the retention, at most once a second (writer thread). */
  private void prune() {
    if (retention == null) {
      return;
    }
    long now = clock.millis();
    if (now < nextPruneMillis) {
      return;
    }
    nextPruneMillis = now + PRUNE_EVERY_MILLIS;
    try {
      int deleted = store.deleteFinishedBefore(Instant.ofEpochMilli(now).minus(retention));
      if (deleted > 0) {
        LOG.debug("deleted {} finished tasks older than {}", deleted, retention);
      }
    } catch (RuntimeException e) {
      LOG.warn("deleting finished tasks from the task store failed", e);
    }
  }

  /** State changes handed over together. */
  private record Updates(List<TaskRecord> records) {}

  /** Writes what is queued, then stops. Blocks until done. */
  void close() {
    running = false;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void run() {
    List<Object> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      prune();
      Object first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH);
      List<TaskEntry> entries = new ArrayList<>();
      List<TaskRecord> records = new ArrayList<>();
      List<TaskRecord> updates = new ArrayList<>();
      List<CompletableFuture<Void>> markers = List.of();
      for (Object o : batch) {
        if (o instanceof CompletableFuture<?> marker) {
          if (markers.isEmpty()) {
            markers = new ArrayList<>(1);
          }
          markers.add((CompletableFuture<Void>) marker);
        } else if (o instanceof List<?> list) {
          for (TaskEntry e : (List<TaskEntry>) list) {
            entries.add(e);
            records.add(TaskRecord.queued(e.id, e.spec, e.submittedAt));
          }
        } else if (o instanceof Updates u) {
          updates.addAll(u.records());
        } else {
          updates.add((TaskRecord) o);
        }
      }
      batch.clear();
      long token = fence;
      if (!entries.isEmpty()) {
        try {
          if (token == NO_FENCE) {
            store.insert(records);
          } else {
            store.insert(records, token);
          }
          onInserted.accept(entries);
        } catch (PoolException e) {
          onFailed.accept(entries, e);
        } catch (RuntimeException e) {
          onFailed.accept(
              entries, new PoolException(ErrorCode.UNAVAILABLE, "task store insert failed", e));
        }
      }
      if (!updates.isEmpty()) {
        try {
          if (token == NO_FENCE) {
            store.update(updates);
          } else {
            store.update(updates, token);
          }
        } catch (PoolException e) {
          if (e.code() == ErrorCode.FAILED_PRECONDITION && token != NO_FENCE) {
            // fenced off: another coordinator leads now and owns these tasks
            LOG.warn("{} task state changes refused: {}", updates.size(), e.getMessage());
          } else {
            LOG.warn("task store update of {} records failed", updates.size(), e);
          }
        } catch (RuntimeException e) {
          LOG.warn("task store update of {} records failed", updates.size(), e);
        }
      }
      for (CompletableFuture<Void> marker : markers) {
        marker.complete(null);
      }
    }
  }
}
