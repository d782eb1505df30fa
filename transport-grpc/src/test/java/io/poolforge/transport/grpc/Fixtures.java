package io.poolforge.transport.grpc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
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
import io.poolforge.transport.grpc.internal.WorkerClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Test doubles and helpers for the gRPC transport's own tests. */
final class Fixtures {
  static final String WORKER_TOKEN = "worker-token-0123456789";
  static final String SUBMITTER_TOKEN = "submitter-token-0123456789";

  private Fixtures() {}

  static Registration registration(String id, List<LeaseRef> held) {
    return new Registration(
        new WorkerInfo(
            new WorkerId(id),
            "owner",
            "0xabc",
            Bytes.of(new byte[] {1, 2, 3}),
            new Capabilities(Set.of("sha256"), Set.of("cpu"), List.of(), 0, 2, Set.of(), false)),
        null,
        held);
  }

  static Assignment assignment(long task, Bytes payload) {
    return new Assignment(
        new LeaseRef(new TaskId(task), 1),
        "sha256",
        payload,
        Instant.parse("2030-01-01T00:00:00Z"),
        null);
  }

  /** An assignment of {@code priority} (an urgent one goes on the lane when it is open). */
  static Assignment assignment(long task, int priority) {
    return new Assignment(
        new LeaseRef(new TaskId(task), 1),
        "sha256",
        Bytes.of(new byte[] {1}),
        Instant.parse("2030-01-01T00:00:00Z"),
        null,
        priority);
  }

  /** Waits until the connection's urgent lane is bound (fails after 10 s). */
  static void awaitLane(WorkerConnection connection) {
    WorkerClient client = (WorkerClient) connection;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!client.urgentLaneOpen()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the urgent lane did not open within 10 s");
      }
      Thread.onSpinWait();
    }
  }

  static WorkResult result(String worker, long task, Bytes output) {
    return new WorkResult(
        new LeaseRef(new TaskId(task), 1),
        new WorkerId(worker),
        "cpu",
        output,
        null,
        1,
        Bytes.of(new byte[64]));
  }

  static <T> T poll(BlockingQueue<T> q) {
    try {
      T t = q.poll(10, TimeUnit.SECONDS);
      if (t == null) {
        throw new AssertionError("nothing arrived within 10 s");
      }
      return t;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An acceptor that records registrations and sessions; a stand-in for the coordinator. */
  static final class QueueingAcceptor implements CoordinatorTransport.Acceptor {
    final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
    final Map<String, QueueingSession> sessions = new ConcurrentHashMap<>();
    final Map<String, WorkerChannel> channels = new ConcurrentHashMap<>();

    @Override
    public WorkerSession accept(Registration registration, WorkerChannel channel) {
      QueueingSession s = new QueueingSession();
      sessions.put(registration.worker().id().value(), s);
      channels.put(registration.worker().id().value(), channel);
      registrations.add(registration);
      return s;
    }
  }

  /** A session that queues what arrives. */
  static final class QueueingSession implements WorkerSession {
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

    @Override
    public void onCredit(int credits) {
      seen.add(credits);
    }

    @Override
    public void onResults(List<WorkResult> results) {
      seen.addAll(results);
    }

    @Override
    public void onHeartbeat(Heartbeat heartbeat) {
      seen.add(heartbeat);
    }

    @Override
    public void onCheckpoint(LeaseRef lease, Bytes state) {
      seen.add(state);
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      seen.add(reason == null ? "closed" : reason);
    }
  }

  /** A listener that queues what arrives. */
  static final class QueueingListener implements WorkerListener {
    final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

    /** The priority of the thread each task's assignment was delivered on. */
    final Map<TaskId, Integer> deliveredAtPriority = new ConcurrentHashMap<>();

    @Override
    public void onAssignments(List<Assignment> assignments) {
      int priority = Thread.currentThread().getPriority();
      for (Assignment a : assignments) {
        deliveredAtPriority.put(a.lease().task(), priority);
      }
      seen.addAll(assignments);
    }

    @Override
    public void onRevoked(List<TaskId> tasks) {
      seen.addAll(tasks);
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      seen.add(reason == null ? "closed" : reason);
    }
  }
}
