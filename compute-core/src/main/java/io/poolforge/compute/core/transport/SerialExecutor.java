package io.poolforge.compute.core.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: how the transport delivers
 * one peer's messages in order without a thread per peer. Thread-safe; {@link #execute} never
 * blocks.
 */
final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final Executor delegate;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (wip.getAndIncrement() == 0) {
      delegate.execute(this::drain);
    }
  }

  /** Whether a task waits or runs: false once everything given so far has run. */
  boolean busy() {
    return wip.get() != 0;
  }

  private void drain() {
    int missed = 1;
    do {
      Runnable r;
      int n = 0;
      while ((r = queue.poll()) != null) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("in-process transport handler failed", e);
        }
        n++;
      }
      missed = wip.addAndGet(-n);
    } while (missed != 0);
  }
}
