package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Publishes pool events to subscribers, each with its own bounded buffer drained on the executor. A
 * subscriber that falls {@code buffer} events behind gets {@code onError(RESOURCE_EXHAUSTED)} and
 * is dropped, so a slow subscriber never slows the pool. Thread-safe; {@link #publish} never
 * blocks.
 */
final class EventHub implements Flow.Publisher<PoolEvent> {
  private final CopyOnWriteArrayList<Sub> subscribers = new CopyOnWriteArrayList<>();
  private final Executor executor;
  private final int buffer;
  private volatile boolean closed;

  EventHub(Executor executor, int buffer) {
    this.executor = executor;
    this.buffer = buffer;
  }

  boolean active() {
    return !subscribers.isEmpty();
  }

  void publish(PoolEvent event) {
    for (Sub s : subscribers) {
      s.offer(event);
    }
  }

  void close() {
    closed = true;
    for (Sub s : subscribers) {
      s.finish(null);
    }
  }

  @Override
  public void subscribe(Flow.Subscriber<? super PoolEvent> subscriber) {
    if (subscriber == null) {
      throw PoolException.invalidArgument("subscriber", "must not be null");
    }
    Sub s = new Sub(subscriber);
    subscriber.onSubscribe(s);
    if (closed) {
      s.finish(null);
    } else {
      subscribers.add(s);
    }
  }

  private final class Sub implements Flow.Subscription {
    private final Flow.Subscriber<? super PoolEvent> subscriber;
    private final ConcurrentLinkedQueue<PoolEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile boolean finished;
    private volatile @Nullable Throwable error;
    private boolean terminated;

    Sub(Flow.Subscriber<? super PoolEvent> subscriber) {
      this.subscriber = subscriber;
    }

    void offer(PoolEvent event) {
      if (cancelled || finished) {
        return;
      }
      if (size.incrementAndGet() > buffer) {
        finish(
            new PoolException(
                ErrorCode.RESOURCE_EXHAUSTED,
                "event subscriber fell more than " + buffer + " events behind and was dropped"));
        return;
      }
      queue.offer(event);
      schedule();
    }

    void finish(@Nullable Throwable failure) {
      subscribers.remove(this);
      if (failure != null) {
        queue.clear();
        error = failure;
      }
      finished = true;
      schedule();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        finish(new IllegalArgumentException("request(" + n + "): must be positive (rule 3.9)"));
        return;
      }
      demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      schedule();
    }

    @Override
    public void cancel() {
      cancelled = true;
      subscribers.remove(this);
      queue.clear();
    }

    private void schedule() {
      if (wip.getAndIncrement() == 0) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      int missed = 1;
      do {
        if (!terminated) {
          deliver();
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void deliver() {
      Throwable failure = error;
      if (failure != null) {
        terminated = true;
        if (!cancelled) {
          subscriber.onError(failure);
        }
        return;
      }
      while (!cancelled && demand.get() > 0) {
        PoolEvent e = queue.poll();
        if (e == null) {
          break;
        }
        size.decrementAndGet();
        demand.decrementAndGet();
        try {
          subscriber.onNext(e);
        } catch (RuntimeException ex) {
          cancel();
          return;
        }
      }
      if (finished && queue.isEmpty() && !cancelled) {
        terminated = true;
        subscriber.onComplete();
      }
    }
  }
}
