package io.poolforge.compute.core.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: how the transport delivers
 * one peer's messages in order without a thread per peer. A task marked urgent that finds nothing
 * waiting or running starts its run on a second executor instead, past whatever waits on the shared
 * one; the run hands over to the shared executor when more than what was queued at its start is
 * left, so that an urgent thread is never held by one peer's bulk traffic. Either way tasks run one
 * at a time and in order. Thread-safe; {@link #execute} never blocks.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
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
   * Queues a task behind everything queued before it.
   *
   * @param task the task
   * @param urgent whether, when nothing waits or runs, its run starts on the urgent executor
   */
  void execute(Runnable task, boolean urgent) {
    queue.add(task);
    if (wip.getAndIncrement() == 0) {
      if (urgent) {
        urgentDelegate.execute(() -> drain(true));
      } else {
        delegate.execute(() -> drain(false));
      }
    }
  }

  private void drain(boolean urgent) {
    int limit = urgent ? Math.max(1, wip.get()) : Integer.MAX_VALUE;
    int missed;
    do {
      Runnable r;
      int n = 0;
      while (n < limit && (r = queue.poll()) != null) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("in-process transport handler failed", e);
        }
        n++;
      }
      missed = wip.addAndGet(-n);
      if (missed != 0 && urgent) {
        delegate.execute(() -> drain(false)); // the rest is not urgent: back to the shared threads
        return;
      }
    } while (missed != 0);
  }
}
