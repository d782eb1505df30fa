package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerSession;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A coordinator transport that passes everything through to another one and counts what crosses it:
 * assignment batches, result batches, credit grants and their sizes. It shows how the engine and
 * the workers batch tiny tasks (many small batches mean many signatures). Thread-safe.
 */
final class CountingTransport implements CoordinatorTransport {
  private final CoordinatorTransport inner;
  final LongAdder assignCalls = new LongAdder();
  final LongAdder assigned = new LongAdder();
  final LongAdder resultCalls = new LongAdder();
  final LongAdder results = new LongAdder();
  final LongAdder grantCalls = new LongAdder();
  final LongAdder granted = new LongAdder();
  final LongAdder heartbeats = new LongAdder();

  /** Urgent tasks: task id -> nanoTime when assigned, when its result arrived. */
  final Map<Long, long[]> urgent = new ConcurrentHashMap<>();

  CountingTransport(CoordinatorTransport inner) {
    this.inner = inner;
  }

  /** Clears the counters. */
  void reset() {
    for (LongAdder a : List.of(assignCalls, assigned, resultCalls, results, grantCalls, granted)) {
      a.reset();
    }
  }

  /** One line: how many of each, and their mean size. */
  String summary() {
    return String.format(
        Locale.ROOT,
        "assign batches %d (mean %.1f tasks), result batches %d (mean %.1f), grants %d (mean %.1f)",
        assignCalls.sum(),
        mean(assigned, assignCalls),
        resultCalls.sum(),
        mean(results, resultCalls),
        grantCalls.sum(),
        mean(granted, grantCalls));
  }

  private static double mean(LongAdder total, LongAdder calls) {
    long n = calls.sum();
    return n == 0 ? 0 : (double) total.sum() / n;
  }

  @Override
  public void start(Acceptor acceptor) {
    inner.start(
        (registration, channel) -> {
          WorkerSession session = acceptor.accept(registration, new Channel(channel));
          return new Session(session);
        });
  }

  @Override
  public void close() {
    inner.close();
  }

  private final class Channel implements WorkerChannel {
    private final WorkerChannel inner;

    Channel(WorkerChannel inner) {
      this.inner = inner;
    }

    @Override
    public void assign(List<Assignment> assignments) {
      assignCalls.increment();
      assigned.add(assignments.size());
      for (Assignment a : assignments) {
        if (a.priority() >= Priority.HIGH) {
          urgent.computeIfAbsent(a.lease().task().value(), k -> new long[2])[0] = System.nanoTime();
        }
      }
      inner.assign(assignments);
    }

    @Override
    public void revoke(List<TaskId> tasks) {
      inner.revoke(tasks);
    }

    @Override
    public void close(PoolException reason) {
      inner.close(reason);
    }
  }

  private final class Session implements WorkerSession {
    private final WorkerSession inner;

    Session(WorkerSession inner) {
      this.inner = inner;
    }

    @Override
    public void onCredit(int credits) {
      grantCalls.increment();
      granted.add(credits);
      inner.onCredit(credits);
    }

    @Override
    public void onResults(List<WorkResult> batch) {
      resultCalls.increment();
      results.add(batch.size());
      long now = System.nanoTime();
      for (WorkResult r : batch) {
        long[] t = urgent.get(r.lease().task().value());
        if (t != null) {
          t[1] = now;
        }
      }
      inner.onResults(batch);
    }

    @Override
    public void onHeartbeat(Heartbeat heartbeat) {
      heartbeats.increment();
      inner.onHeartbeat(heartbeat);
    }

    @Override
    public void onCheckpoint(LeaseRef lease, Bytes state) {
      inner.onCheckpoint(lease, state);
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      inner.onClosed(reason);
    }
  }
}
