package io.poolforge.transport.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The coordinator transport's work executor with a gate: while shut, the tasks it is given (the
 * result batches of workers' main streams) wait, as they would behind a busy coordinator; opening
 * it runs them. Thread-safe.
 */
final class GatedExecutor implements java.util.concurrent.Executor, AutoCloseable {
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Runnable> held = new ArrayList<>();
  private boolean shut;

  @Override
  public void execute(Runnable task) {
    synchronized (held) {
      if (shut) {
        held.add(task);
        return;
      }
    }
    threads.execute(task);
  }

  void shut() {
    synchronized (held) {
      shut = true;
    }
  }

  int held() {
    synchronized (held) {
      return held.size();
    }
  }

  void open() {
    List<Runnable> run;
    synchronized (held) {
      shut = false;
      run = List.copyOf(held);
      held.clear();
    }
    run.forEach(threads::execute);
  }

  @Override
  public void close() {
    open();
    threads.shutdownNow();
  }
}
