package io.poolforge.compute.tck;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Test doubles for {@link TransportContractTest}: an acceptor, session and listener that record
 * what a transport delivers, in order, so the suite can assert on it. They stand in for the
 * coordinator and the worker runtime, which are not what the suite tests.
 *
 * <p>Thread-safe.
 *
 * @since 0.1.0
 */
final class TransportRecorders {
  private TransportRecorders() {}

  /** Something a recorder saw. */
  sealed interface Seen {}

  record Credit(int credits) implements Seen {}

  record Results(List<WorkResult> results) implements Seen {}

  record Beat(Heartbeat heartbeat) implements Seen {}

  record Saved(LeaseRef lease, Bytes state) implements Seen {}

  record Assigned(List<Assignment> assignments) implements Seen {}

  record Revoked(List<TaskId> tasks) implements Seen {}

  record Closed(@Nullable PoolException reason) implements Seen {}

  static Seen poll(BlockingQueue<Seen> queue, Duration timeout, String what) {
    try {
      Seen s = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (s == null) {
        throw new AssertionError(
            "nothing arrived within " + timeout + " while waiting for " + what);
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Records what the coordinator's side of one worker receives. */
  static final class RecordingSession implements WorkerSession {
    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    final AtomicReference<@Nullable Closed> closed = new AtomicReference<>();
    private volatile int concurrentCalls;
    volatile boolean overlapped;

    private void enter() {
      synchronized (this) {
        concurrentCalls++;
        if (concurrentCalls > 1) {
          overlapped = true;
        }
      }
    }

    private void exit() {
      synchronized (this) {
        concurrentCalls--;
      }
    }

    @Override
    public void onCredit(int credits) {
      enter();
      seen.add(new Credit(credits));
      exit();
    }

    @Override
    public void onResults(List<WorkResult> results) {
      enter();
      seen.add(new Results(List.copyOf(results)));
      exit();
    }

    @Override
    public void onHeartbeat(Heartbeat heartbeat) {
      enter();
      seen.add(new Beat(heartbeat));
      exit();
    }

    @Override
    public void onCheckpoint(LeaseRef lease, Bytes state) {
      enter();
      seen.add(new Saved(lease, state));
      exit();
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      Closed c = new Closed(reason);
      if (!closed.compareAndSet(null, c)) {
        throw new AssertionError("onClosed called twice: " + closed.get() + " then " + c);
      }
      seen.add(c);
    }
  }

  /** Records registrations and hands out a {@link RecordingSession} per worker. */
  static final class RecordingAcceptor implements CoordinatorTransport.Acceptor {
    final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
    final Map<String, RecordingSession> sessions = new ConcurrentHashMap<>();
    final Map<String, WorkerChannel> channels = new ConcurrentHashMap<>();
    final Map<String, RuntimeException> refusals = new ConcurrentHashMap<>();

    @Override
    public WorkerSession accept(Registration registration, WorkerChannel channel) {
      String id = registration.worker().id().value();
      registrations.add(registration);
      RuntimeException refusal = refusals.get(id);
      if (refusal != null) {
        throw refusal;
      }
      RecordingSession session = new RecordingSession();
      sessions.put(id, session);
      channels.put(id, channel);
      return session;
    }
  }

  /** Records what a worker receives. */
  static final class RecordingListener implements WorkerListener {
    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    final AtomicReference<@Nullable Closed> closed = new AtomicReference<>();
    final List<Assignment> assignments = new ArrayList<>();

    @Override
    public void onAssignments(List<Assignment> batch) {
      synchronized (assignments) {
        assignments.addAll(batch);
      }
      seen.add(new Assigned(List.copyOf(batch)));
    }

    @Override
    public void onRevoked(List<TaskId> tasks) {
      seen.add(new Revoked(List.copyOf(tasks)));
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      Closed c = new Closed(reason);
      if (closed.compareAndSet(null, c)) {
        seen.add(c);
      } else {
        throw new AssertionError("onClosed called twice: " + closed.get() + " then " + c);
      }
    }

    int received() {
      synchronized (assignments) {
        return assignments.size();
      }
    }
  }
}
