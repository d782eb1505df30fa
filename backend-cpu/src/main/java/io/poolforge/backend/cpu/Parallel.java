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
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of daemon threads of {@link Thread#MIN_PRIORITY} that runs index ranges in parallel
 * chunks and waits for them. Thread-safe; the {@code for} methods block the caller until every
 * chunk has finished.
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
              // set, not inherited from whichever thread first made the pool grow (a worker's
              // urgent runner runs at the highest priority): this is bulk compute, below normal
              // like the worker's batch runners (see WorkerNode on thread priorities)
              t.setPriority(Thread.MIN_PRIORITY);
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

  /**
   * Runs the pieces as one fork/join computation: the caller hands the pool a single task and waits
   * once, instead of submitting and awaiting every piece (a park and wake-up per piece, which costs
   * several per cent of a batch of small hashes).
   */
  private void runAll(List<Runnable> work, ExecutionContext ctx) {
    checkOpen();
    if (work.size() == 1) {
      checkCancelled(ctx);
      work.get(0).run();
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    RecursiveAction all =
        new RecursiveAction() {
          @Override
          protected void compute() {
            List<RecursiveAction> pieces = new ArrayList<>(work.size());
            for (Runnable r : work) {
              pieces.add(
                  new RecursiveAction() {
                    @Override
                    protected void compute() {
                      if (abandoned.get() || failure.get() != null) {
                        return;
                      }
                      try {
                        checkCancelled(ctx);
                        r.run();
                      } catch (RuntimeException | Error e) {
                        failure.compareAndSet(null, e);
                      }
                    }
                  });
            }
            invokeAll(pieces);
          }
        };
    try {
      pool.execute(all);
    } catch (RejectedExecutionException e) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' is closed", e);
    }
    try {
      all.get();
    } catch (ExecutionException e) {
      failure.compareAndSet(null, e.getCause());
    } catch (CancellationException e) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' was closed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandoned.set(true);
      throw new PoolException(ErrorCode.CANCELLED, "interrupted while waiting for the batch", e);
    }
    Throwable t = failure.get();
    if (t != null) {
      if (closed && !(t instanceof PoolException)) {
        // pieces cancelled or interrupted by close(), not a fault of the batch
        throw new PoolException(ErrorCode.UNAVAILABLE, "backend 'cpu' was closed", t);
      }
      throw wrap(t);
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
