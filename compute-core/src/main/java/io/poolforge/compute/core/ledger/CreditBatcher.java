package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of credits: callers enqueue, one drain loop takes everything queued (up to a batch
 * limit) and commits it in one store transaction, so many concurrent credits share one write. A
 * lone credit is committed at once (no lingering). Duplicates of a task inside one batch are
 * answered false without reaching the store; across batches the store's uniqueness per task
 * decides.
 *
 * <p>Thread-safe. {@link #submit} never blocks; {@link #flush} and {@link #close} block until the
 * queue ahead of them is committed.
 */
final class CreditBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CreditBatcher.class);

  /** One queued credit, or (credit null) a barrier that also stops the loop if {@code stop}. */
  private record Request(@Nullable Credit credit, boolean stop, CompletableFuture<Boolean> done) {}

  /** A credit to commit: what the commit function receives. */
  record Credit(TaskId task, WorkerId worker, String address, BigInteger amount) {}

  private final BlockingQueue<Request> queue;
  private final int maxBatch;
  private final Function<List<Credit>, Set<TaskId>> commit;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;

  /**
   * Starts the drain loop on {@code executor}.
   *
   * @param executor runs the loop (one long-running task; a virtual thread by default)
   * @param maxBatch the most credits per store transaction
   * @param capacity the most queued credits before {@link #submit} refuses
   * @param commit stores credits and returns the tasks credited now
   */
  CreditBatcher(
      Executor executor, int maxBatch, int capacity, Function<List<Credit>, Set<TaskId>> commit) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.commit = commit;
    try {
      executor.execute(this::loop);
    } catch (RejectedExecutionException e) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "executor: refused the credit batcher", e);
    }
  }

  CompletableFuture<Boolean> submit(
      TaskId task, WorkerId worker, String address, BigInteger amount) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    if (closing) {
      return CompletableFuture.failedFuture(
          new PoolException(ErrorCode.FAILED_PRECONDITION, "ledger: is closed"));
    }
    if (!queue.offer(new Request(new Credit(task, worker, address, amount), false, done))) {
      return CompletableFuture.failedFuture(
          new PoolException(
              ErrorCode.RESOURCE_EXHAUSTED,
              "ledger: credit queue is full (" + queue.size() + " waiting); retry later"));
    }
    return done;
  }

  /** Waits until every credit submitted before this call is committed or failed. */
  void flush() {
    if (stopped.getCount() == 0) {
      return;
    }
    CompletableFuture<Boolean> barrier = new CompletableFuture<>();
    try {
      queue.put(new Request(null, false, barrier));
      barrier.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PoolException(ErrorCode.CANCELLED, "ledger: interrupted while flushing credits");
    }
  }

  private void loop() {
    List<Request> batch = new ArrayList<>(maxBatch);
    try {
      while (true) {
        Request first = queue.take();
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        boolean stop = process(batch);
        batch.clear();
        if (stop) {
          failAll(new PoolException(ErrorCode.FAILED_PRECONDITION, "ledger: is closed"));
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failAll(new PoolException(ErrorCode.CANCELLED, "ledger: credit batcher was interrupted"));
    } finally {
      stopped.countDown();
    }
  }

  /** Commits one batch; returns true if it held the stop request. */
  private boolean process(List<Request> batch) {
    Map<TaskId, Request> first = new LinkedHashMap<>();
    List<Request> duplicates = new ArrayList<>();
    List<Request> barriers = new ArrayList<>();
    for (Request r : batch) {
      Credit c = r.credit();
      if (c == null) {
        barriers.add(r);
      } else if (first.putIfAbsent(c.task(), r) != null) {
        duplicates.add(r);
      }
    }
    if (!first.isEmpty()) {
      List<Credit> credits = new ArrayList<>(first.size());
      for (Request r : first.values()) {
        credits.add(r.credit());
      }
      try {
        Set<TaskId> added = new HashSet<>(commit.apply(credits));
        for (Map.Entry<TaskId, Request> e : first.entrySet()) {
          e.getValue().done().complete(added.contains(e.getKey()));
        }
      } catch (RuntimeException e) {
        log.warn("storing {} credits failed; callers may retry", credits.size(), e);
        for (Request r : first.values()) {
          r.done().completeExceptionally(e);
        }
      }
    }
    duplicates.forEach(r -> r.done().complete(false));
    boolean stop = false;
    for (Request b : barriers) {
      b.done().complete(true);
      stop |= b.stop();
    }
    return stop;
  }

  private void failAll(PoolException e) {
    List<Request> rest = new ArrayList<>();
    queue.drainTo(rest);
    rest.forEach(r -> r.done().completeExceptionally(e));
  }

  /** Stops taking credits, commits what is queued and ends the loop. Idempotent. */
  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    closing = true;
    CompletableFuture<Boolean> stop = new CompletableFuture<>();
    try {
      queue.put(new Request(null, true, stop));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
