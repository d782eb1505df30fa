package io.poolforge.backend.cpu;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed pool of daemon threads that runs index ranges in parallel chunks and waits for them.
 * Thread-safe; the {@code for} methods block the caller until every chunk has finished.
 */
final class Parallel implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final ForkJoinPool pool;
  private final int threads;
  private volatile boolean closed;

  Parallel(int threads) {
    this.threads = threads;
    int poolNumber = POOLS.incrementAndGet();
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool =
        new ForkJoinPool(
            threads,
            p -> {
              ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
              t.setName("poolforge-cpu-" + poolNumber + "-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            null,
            false);
  }

  /** A chunk body over [from, to). */
  interface RangeBody {
    void run(int from, int to);
  }

  void checkOpen() {
    if (closed) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' is closed");
    }
  }

  /** Runs {@code body} over [0, n) in about four chunks per thread. */
  void forRange(int n, RangeBody body, ExecutionContext ctx) {
    int chunks = (int) Math.min(n, threads * 4L);
    List<Runnable> work = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      work.add(() -> body.run(from, to));
    }
    runAll(work, ctx);
  }

  /** Runs {@code body} once per index of [0, n), one index per task. */
  void forEach(int n, IntConsumer body, ExecutionContext ctx) {
    List<Runnable> work = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      work.add(() -> body.accept(index));
    }
    runAll(work, ctx);
  }

  private void runAll(List<Runnable> work, ExecutionContext ctx) {
    checkOpen();
    if (work.size() == 1) {
      checkCancelled(ctx);
      work.get(0).run();
      return;
    }
    List<Future<?>> futures = new ArrayList<>(work.size());
    try {
      for (Runnable r : work) {
        futures.add(
            pool.submit(
                () -> {
                  checkCancelled(ctx);
                  r.run();
                }));
      }
    } catch (RejectedExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      throw new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' is closed", e);
    }
    PoolException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failure = failure == null ? wrap(e.getCause()) : failure;
      } catch (CancellationException e) {
        failure =
            failure == null
                ? new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' was closed", e)
                : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new PoolException(ErrorCode.CANCELLED, "interrupted while waiting for the batch", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void checkCancelled(ExecutionContext ctx) {
    if (ctx.cancelled()) {
      throw new PoolException(ErrorCode.CANCELLED, "the batch was cancelled");
    }
  }

  private static PoolException wrap(Throwable t) {
    if (t instanceof PoolException p) {
      return p;
    }
    return new PoolException(ErrorCode.INTERNAL, "backend 'cpu' failed: " + t, t);
  }

  @Override
  public void close() {
    closed = true;
    pool.shutdownNow();
  }
}
