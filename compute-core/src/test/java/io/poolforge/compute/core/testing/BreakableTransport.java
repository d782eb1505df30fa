package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.compute.api.transport.WorkerTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An in-JVM test transport whose connections can break like a dropped network ({@link
 * #breakConnection}): the coordinator hears of it as a retryable UNAVAILABLE, not a clean close,
 * which the in-process transport cannot express. Calls are delivered synchronously on the caller's
 * thread, so a test drives each worker from one thread, in order.
 */
public final class BreakableTransport implements CoordinatorTransport, WorkerTransport {
  private volatile @Nullable Acceptor acceptor;
  private final Map<String, Link> links = new ConcurrentHashMap<>();

  @Override
  public void start(Acceptor acceptor) {
    this.acceptor = acceptor;
  }

  @Override
  public WorkerConnection connect(Registration registration, WorkerListener listener) {
    Acceptor a = acceptor;
    if (a == null) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "no coordinator started on this transport");
    }
    Link link = new Link(listener);
    link.session = a.accept(registration, link);
    links.put(registration.worker().id().value(), link);
    return link;
  }

  /** Drops the latest connection of worker {@code id} as a network failure would. */
  public void breakConnection(String id) {
    Link link = links.get(id);
    if (link != null) {
      link.end(new PoolException(ErrorCode.UNAVAILABLE, "connection reset (test)"));
    }
  }

  /**
   * Tells the coordinator once more that the latest connection of worker {@code id} broke, as a
   * transport that reports one failure twice (say, a read error and then a write error) would.
   */
  public void reportBreakAgain(String id) {
    Link link = links.get(id);
    if (link != null) {
      link.session().onClosed(new PoolException(ErrorCode.UNAVAILABLE, "write failed (test)"));
    }
  }

  @Override
  public void close() {
    for (Link l : links.values()) {
      l.end(new PoolException(ErrorCode.UNAVAILABLE, "transport closed"));
    }
  }

  private static final class Link implements WorkerChannel, WorkerConnection {
    private final WorkerListener listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile @Nullable WorkerSession session;

    Link(WorkerListener listener) {
      this.listener = listener;
    }

    private WorkerSession session() {
      WorkerSession s = session;
      if (s == null) {
        throw new IllegalStateException("not registered");
      }
      return s;
    }

    void end(@Nullable PoolException reason) {
      if (open.compareAndSet(true, false)) {
        session().onClosed(reason);
        listener.onClosed(reason);
      }
    }

    @Override
    public void assign(List<Assignment> assignments) {
      if (open.get()) {
        listener.onAssignments(assignments);
      }
    }

    @Override
    public void revoke(List<TaskId> tasks) {
      if (open.get()) {
        listener.onRevoked(tasks);
      }
    }

    @Override
    public void close(PoolException reason) {
      end(reason);
    }

    @Override
    public void grant(int credits) {
      if (open.get()) {
        session().onCredit(credits);
      }
    }

    @Override
    public void sendResults(List<WorkResult> results) {
      if (open.get()) {
        session().onResults(List.copyOf(results));
      }
    }

    @Override
    public void heartbeat(Heartbeat heartbeat) {
      if (open.get()) {
        session().onHeartbeat(heartbeat);
      }
    }

    @Override
    public void checkpoint(LeaseRef lease, Bytes state) {
      if (open.get()) {
        session().onCheckpoint(lease, state);
      }
    }

    @Override
    public void close() {
      end(null);
    }
  }
}
