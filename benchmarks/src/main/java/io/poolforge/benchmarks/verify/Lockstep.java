package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Runs a real in-process pool (coordinator, worker nodes, in-process transport, all on their own
 * threads) in lockstep on a fake clock, so that a run depends only on its seed, not on thread
 * timing.
 *
 * <p>Each worker's backend blocks in {@link #await} until the lockstep releases it; a batch takes a
 * simulated time drawn by the worker. The driver repeatedly releases the batch that ends first
 * (ties by worker index), with the {@link SimClock} set to its end, and then {@link #settle()}s:
 * waits until every thread of the pool is idle or parked in a backend, and the coordinator's
 * scheduler has run a full loop after the last message. Quiescence is observed, not guessed: the
 * transport, the coordinator and every worker run on counting executors, and a probe task (of a
 * kind no worker serves) is submitted and cancelled through the public {@link Pool} API; its
 * cancellation completes only after the scheduler's next placement round. A settle ends when a
 * probe round trip saw no other activity.
 *
 * <p>This relies on two properties of the engine, both true of the scheduler today: a cancelled
 * task's future is completed from the scheduler's completion flush, which runs after the placement
 * round of the same loop; and nothing but transport deliveries, the coordinator executor and API
 * calls posts work to the scheduler. And a worker node decides when to send results on nothing but
 * what it ran, except that it may hold back the results of a job that took under a millisecond of
 * real time to sign them with the next job's: the runs build their nodes with {@code
 * resultGrouping(ZERO)}. A worker that is shut down while its batch waits here withdraws the batch;
 * until it has, its thread's interrupt flag stays set and the pool does not count as idle. {@code
 * PoolVerificationRunTest} checks the outcome (two runs, one row).
 *
 * <p>Thread-safe where it must be: backends call {@link #await} from worker threads; the driver
 * calls everything else from one thread. {@link #settle()} and {@link #releaseNext()} block.
 */
final class Lockstep {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

  final SimClock clock = new SimClock();
  private final CountingExecutor transport = new CountingExecutor("lockstep-transport", 2, true);
  private final CountingExecutor coordinator = new CountingExecutor("lockstep-coord", 1, false);
  private final List<CountingPool> runners = new CopyOnWriteArrayList<>();
  private final AtomicLong activity = new AtomicLong();
  private final PriorityQueue<Job> jobs =
      new PriorityQueue<>(
          (a, b) ->
              a.end != b.end
                  ? Long.compare(a.end, b.end)
                  : a.worker != b.worker
                      ? Integer.compare(a.worker, b.worker)
                      : Long.compare(a.seq, b.seq));
  private int blocked;
  private long seq;
  private long nowNanos;
  private long probes;
  private @Nullable Pool pool;
  private @Nullable TaskSpec probe;

  /** The executor the in-process transport delivers on. */
  CountingExecutor transportExecutor() {
    return transport;
  }

  /** The executor of the coordinator (completions, trusted recomputes). */
  CountingExecutor coordinatorExecutor() {
    return coordinator;
  }

  /** A fresh single-thread executor for one worker node's batches. */
  ExecutorService workerExecutor(String name) {
    CountingPool p = new CountingPool(name);
    runners.add(p);
    return p;
  }

  /** Sets the pool to probe, and the spec of a probe task (a kind no worker serves). */
  void attach(Pool pool, TaskSpec probe) {
    this.pool = pool;
    this.probe = probe;
  }

  /** Counts work that changes the pool's state, such as a trusted recompute. */
  void touch() {
    activity.incrementAndGet();
  }

  long probes() {
    return probes;
  }

  long nowNanos() {
    return nowNanos;
  }

  /**
   * Called by a worker's backend: blocks until the lockstep releases the batch, which ends {@code
   * durationNanos} of simulated time after now. Throws if the worker is shut down meanwhile.
   */
  void await(int worker, long durationNanos) {
    Job job;
    synchronized (this) {
      job = new Job(worker, nowNanos + durationNanos, seq++);
      jobs.add(job);
      blocked++;
    }
    activity.incrementAndGet();
    // A hand-made wait rather than a latch: a latch clears the thread's interrupt flag as it wakes,
    // and until the batch is withdrawn below the driver could then take it for one that is still
    // waiting (idle() reads the flag). Here the flag stays set until the batch is withdrawn.
    while (!job.released) {
      LockSupport.park(this);
      if (Thread.currentThread().isInterrupted()) {
        boolean withdrawn;
        synchronized (this) {
          withdrawn = !job.released;
          if (withdrawn) {
            jobs.remove(job);
            blocked--;
          }
        }
        if (withdrawn) {
          throw new PoolException(
              io.poolforge.compute.api.ErrorCode.UNAVAILABLE, "the worker was shut down");
        }
        return;
      }
    }
  }

  /** Whether a batch is waiting to be released. */
  synchronized boolean hasWork() {
    return !jobs.isEmpty();
  }

  /** The simulated time at which the next batch ends, or -1 when none waits. */
  synchronized long nextEnd() {
    Job j = jobs.peek();
    return j == null ? -1 : j.end;
  }

  /** Moves the clock (never back). */
  void advanceTo(long nanos) {
    if (nanos > nowNanos) {
      nowNanos = nanos;
      clock.setNanos(nanos);
    }
  }

  /** Releases the batch that ends first; the clock must already show its end. */
  void releaseNext() {
    Job j;
    synchronized (this) {
      j = jobs.poll();
      if (j == null) {
        throw new IllegalStateException("no batch to release");
      }
      blocked--;
      j.released = true;
    }
    LockSupport.unpark(j.thread);
  }

  /** Waits until the pool has done everything that follows from what happened so far. */
  void settle() {
    while (true) {
      awaitIdle();
      long before = activity.get();
      probeOnce();
      awaitIdle();
      if (activity.get() == before) {
        return;
      }
    }
  }

  private void probeOnce() {
    Pool p = pool;
    TaskSpec spec = probe;
    if (p == null || spec == null) {
      return;
    }
    probes++;
    TaskHandle h = p.submit(spec);
    p.cancel(h.id());
    try {
      h.result().get(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
      throw new IllegalStateException("a probe task completed; no worker should serve its kind");
    } catch (ExecutionException expected) {
      // cancelled, as intended: the scheduler finished the loop that cancelled it
    } catch (TimeoutException e) {
      throw new IllegalStateException("the scheduler did not answer a probe", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitIdle() {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    int spins = 0;
    while (!idle()) {
      if (++spins < 64) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(20_000);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the pool did not go idle: transport "
                + transport.pending()
                + ", coordinator "
                + coordinator.pending()
                + ", workers "
                + runnersPending()
                + ", blocked "
                + blocked());
      }
    }
  }

  private boolean idle() {
    return transport.pending() == 0
        && coordinator.pending() == 0
        && runnersPending() == blocked()
        && !interruptedJob()
        && transport.pending() == 0;
  }

  /**
   * Whether a waiting batch belongs to a worker that was shut down (its thread is interrupted) but
   * has not withdrawn the batch yet: it must not be mistaken for work that can still be released.
   */
  private synchronized boolean interruptedJob() {
    for (Job j : jobs) {
      if (j.thread.isInterrupted()) {
        return true;
      }
    }
    return false;
  }

  private synchronized int blocked() {
    return blocked;
  }

  private long runnersPending() {
    long n = 0;
    for (CountingPool p : runners) {
      n += p.pending();
    }
    return n;
  }

  /** Stops the lockstep's own threads. */
  void shutdown() {
    transport.delegate.shutdownNow();
    coordinator.delegate.shutdownNow();
  }

  private static final class Job {
    final int worker;
    final long end;
    final long seq;
    final Thread thread = Thread.currentThread();

    /** Set under the lockstep's lock, read by the waiting thread. */
    volatile boolean released;

    Job(int worker, long end, long seq) {
      this.worker = worker;
      this.end = end;
      this.seq = seq;
    }
  }

  /** An executor over daemon threads that counts what it was given and what finished. */
  final class CountingExecutor implements java.util.concurrent.Executor {
    final ExecutorService delegate;
    private final boolean counts;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    CountingExecutor(String name, int threads, boolean countsAsActivity) {
      this.delegate =
          Executors.newFixedThreadPool(
              threads, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
      this.counts = countsAsActivity;
    }

    @Override
    public void execute(Runnable command) {
      submitted.incrementAndGet();
      if (counts) {
        activity.incrementAndGet();
      }
      try {
        delegate.execute(
            () -> {
              try {
                command.run();
              } finally {
                finished.incrementAndGet();
              }
            });
      } catch (RejectedExecutionException e) {
        finished.incrementAndGet();
        throw e;
      }
    }

    long pending() {
      return submitted.get() - finished.get();
    }
  }

  /** A worker node's single runner thread, counting its tasks. */
  private final class CountingPool extends ThreadPoolExecutor {
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    CountingPool(String name) {
      super(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new LinkedBlockingQueue<>(),
          Thread.ofPlatform().name(name).daemon().factory());
    }

    @Override
    public void execute(Runnable command) {
      submitted.incrementAndGet();
      activity.incrementAndGet();
      try {
        super.execute(command);
      } catch (RejectedExecutionException e) {
        finished.incrementAndGet();
        throw e;
      }
    }

    @Override
    protected void afterExecute(Runnable r, @Nullable Throwable t) {
      finished.incrementAndGet();
    }

    @Override
    public List<Runnable> shutdownNow() {
      List<Runnable> dropped = super.shutdownNow();
      finished.addAndGet(dropped.size());
      return new ArrayList<>(dropped);
    }

    long pending() {
      return submitted.get() - finished.get();
    }
  }
}
