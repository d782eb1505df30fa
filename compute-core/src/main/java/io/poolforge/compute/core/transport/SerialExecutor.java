package io.poolforge.compute.core.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one peer's deliveries one at a time on shared executors: how the transport delivers a
 * connection's messages without a thread per peer. There are two queues. Bulk tasks run in
 * submission order on the shared executor. Urgent tasks run in submission order ahead of every bulk
 * task still waiting: an urgent task that finds nothing of its peer running runs at once on the
 * submitting thread; otherwise it waits for the task in hand, after which the run (a bulk run ends
 * there) hands over to the urgent executor. So an urgent task waits for at most one bulk task of
 * its own peer, never for the peer's backlog nor for other peers' deliveries on the shared threads;
 * only after {@value #MAX_OVERTAKES} urgent tasks in a row have passed waiting bulk ones does one
 * bulk task go first. Whatever the queue, no two tasks ever overlap.
 *
 * <p>Thread-safe; {@link #execute} never blocks.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private final ConcurrentLinkedQueue<Runnable> bulk = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Runnable> urgent = new ConcurrentLinkedQueue<>();
  // a run of this peer's tasks is in progress (on either executor): the mutual exclusion
  private final AtomicBoolean running = new AtomicBoolean();
  // a run has been handed to that executor and has not started yet: at most one of each waits
  private final AtomicBoolean bulkScheduled = new AtomicBoolean();
  private final AtomicBoolean urgentScheduled = new AtomicBoolean();
  // urgent tasks run while bulk ones waited, since a bulk one last ran; guarded by running
  private int overtakes;
  static final int MAX_OVERTAKES = 64;
  private final Executor delegate;
  private final Executor urgentDelegate;

  SerialExecutor(Executor delegate) {
    this(delegate, delegate);
  }

  SerialExecutor(Executor delegate, Executor urgentDelegate) {
    this.delegate = delegate;
    this.urgentDelegate = urgentDelegate;
  }

  @Override
  public void execute(Runnable task) {
    execute(task, false);
  }

  /**
   * Queues a task behind everything queued before it in its queue.
   *
   * @param task the task
   * @param isUrgent whether it goes to the urgent queue
   */
  void execute(Runnable task, boolean isUrgent) {
    if (isUrgent) {
      urgent.add(task);
      if (running.compareAndSet(false, true)) {
        drainHeld(); // nothing of this peer runs: deliver on this thread, with no hand-over
      } else {
        schedule(true);
      }
    } else {
      bulk.add(task);
      schedule(false);
    }
  }

  /** Whether nothing is queued or running (for tests). */
  boolean idle() {
    return !running.get() && bulk.isEmpty() && urgent.isEmpty();
  }

  private void schedule(boolean onUrgent) {
    AtomicBoolean flag = onUrgent ? urgentScheduled : bulkScheduled;
    if (flag.compareAndSet(false, true)) {
      try {
        (onUrgent ? urgentDelegate : delegate).execute(() -> run(onUrgent));
      } catch (RuntimeException e) {
        flag.set(false);
        throw e;
      }
    }
  }

  /**
   * One run. It clears its scheduled flag before it tries the lock, so a task queued from then on
   * schedules a run of its own; a run that finds the lock held leaves its queue to the holder,
   * which looks at both queues after it lets go.
   */
  private void run(boolean onUrgent) {
    (onUrgent ? urgentScheduled : bulkScheduled).set(false);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    if (onUrgent) {
      drainHeld();
      return;
    }
    boolean yielded = false;
    try {
      while (true) {
        if (!urgent.isEmpty() && overtakes < MAX_OVERTAKES) {
          yielded = true; // the urgent run that this schedules reschedules the rest
          break;
        }
        Runnable r = bulk.poll();
        if (r == null) {
          break;
        }
        overtakes = 0;
        runOne(r);
      }
    } finally {
      release(!yielded, true);
    }
  }

  /**
   * Runs the urgent queue dry, but for one bulk task after {@value #MAX_OVERTAKES} urgent ones in a
   * row, so that a stream of urgent tasks cannot starve the rest (credits, heartbeats). The caller
   * holds the lock, which this lets go.
   */
  private void drainHeld() {
    boolean yielded = false;
    try {
      while (true) {
        if (overtakes >= MAX_OVERTAKES && !bulk.isEmpty()) {
          yielded = true; // the bulk run that this schedules reschedules the rest
          break;
        }
        Runnable r = urgent.poll();
        if (r == null) {
          break;
        }
        if (!bulk.isEmpty()) {
          overtakes++;
        }
        runOne(r);
      }
    } finally {
      release(true, !yielded);
    }
  }

  /**
   * Lets go of the lock, then schedules a run for what is left. A run that stopped to let the other
   * queue go first does not reschedule its own: the other queue's run does, when it lets go.
   */
  private void release(boolean bulkAgain, boolean urgentAgain) {
    running.set(false);
    if (urgentAgain && !urgent.isEmpty()) {
      schedule(true);
    }
    if (bulkAgain && !bulk.isEmpty()) {
      schedule(false);
    }
  }

  private static void runOne(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("in-process transport handler failed", e);
    }
  }
}
