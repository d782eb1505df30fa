package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator side of the transport benchmarks: a task queue with an urgent lane, handed to
 * workers as they grant credit (streaming) or as they ask for one task per unary call (baseline).
 * It stands in for the Pool engine so that what is measured is the transport.
 *
 * <p>Thread-safe.
 */
final class BenchDriver implements CoordinatorTransport.Acceptor {
  private static final Instant LEASE = Instant.parse("2099-01-01T00:00:00Z");

  /** Credit of each worker that only urgent tasks may use. */
  private static final int RESERVED_FOR_URGENT = 1;

  private final ConcurrentLinkedDeque<Assignment> queue = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<Assignment> urgent = new ConcurrentLinkedDeque<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicLong completed = new AtomicLong();
  private final Set<Long> urgentIds = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> urgentStart = new ConcurrentHashMap<>();
  final List<Long> urgentLatencyNanos = new CopyOnWriteArrayList<>();
  private final Bytes payload;

  BenchDriver() {
    byte[] p = new byte[64];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i * 7 + 3);
    }
    payload = Bytes.wrap(p);
  }

  private Assignment next() {
    return new Assignment(
        new LeaseRef(new TaskId(nextId.getAndIncrement()), 1), "sha256", payload, LEASE, null);
  }

  private Assignment nextUrgent() {
    return new Assignment(
        new LeaseRef(new TaskId(nextId.getAndIncrement()), 1),
        "sha256",
        payload,
        LEASE,
        null,
        Priority.MAX);
  }

  /** The next task for the unary baseline, urgent first; null when none is queued. */
  @Nullable Assignment poll() {
    Assignment a = urgent.poll();
    return a != null ? a : queue.poll();
  }

  /** Enqueues {@code n} tasks, hands them out, and returns when all results are back. */
  void run(int n, boolean probeLatency) {
    long target = completed.get() + n;
    for (int i = 0; i < n; i++) {
      queue.add(next());
    }
    sessions.forEach(Session::pump);
    long lastProbe = 0;
    while (completed.get() < target) {
      long now = System.nanoTime();
      if (probeLatency && now - lastProbe > 5_000_000 && urgentStart.isEmpty()) {
        Assignment a = nextUrgent();
        urgentIds.add(a.lease().task().value());
        urgentStart.put(a.lease().task().value(), now);
        urgent.addFirst(a);
        lastProbe = now;
        sessions.forEach(Session::pump);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  void completed(long taskId) {
    if (urgentIds.remove(taskId)) {
      Long start = urgentStart.remove(taskId);
      if (start != null) {
        urgentLatencyNanos.add(System.nanoTime() - start);
      }
      return;
    }
    completed.incrementAndGet();
  }

  @Override
  public WorkerSession accept(Registration registration, WorkerChannel channel) {
    Session s = new Session(channel);
    sessions.add(s);
    return s;
  }

  /** One worker: assigns from the queue while it has credit. */
  private final class Session implements WorkerSession {
    private final WorkerChannel channel;
    private long credit;

    Session(WorkerChannel channel) {
      this.channel = channel;
    }

    /**
     * Sends what the credit allows. An urgent task goes at once, alone in its batch (the worker
     * runs it ahead of the batches it holds); one credit is kept back from normal tasks so that an
     * urgent one never waits for the worker to finish a batch first.
     */
    synchronized void pump() {
      Assignment u;
      while (credit > 0 && (u = urgent.poll()) != null) {
        credit--;
        channel.assign(List.of(u));
      }
      long room = credit - RESERVED_FOR_URGENT;
      if (room <= 0) {
        return;
      }
      List<Assignment> batch = new ArrayList<>((int) Math.min(room, 4096));
      while (batch.size() < room && batch.size() < 4096) {
        Assignment a = queue.poll();
        if (a == null) {
          break;
        }
        batch.add(a);
      }
      if (!batch.isEmpty()) {
        credit -= batch.size();
        channel.assign(batch);
      }
    }

    @Override
    public void onCredit(int credits) {
      synchronized (this) {
        credit += credits;
      }
      pump();
    }

    @Override
    public void onResults(List<WorkResult> results) {
      for (WorkResult r : results) {
        completed(r.lease().task().value());
      }
    }

    @Override
    public void onHeartbeat(Heartbeat heartbeat) {}

    @Override
    public void onCheckpoint(LeaseRef lease, Bytes state) {}

    @Override
    public void onClosed(@Nullable PoolException reason) {
      sessions.remove(this);
    }
  }
}
