package io.poolforge.compute.core.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
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
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.compute.api.transport.WorkerTransport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Connects a coordinator and its workers inside one JVM. Messages are handed over by reference
 * (records are immutable) and delivered in order per direction and per worker on a shared executor,
 * so neither side's handlers run on the other's threads, except for urgent messages.
 *
 * <p>Urgent messages are an assignment batch that holds a task of priority {@code HIGH} or more,
 * and a result batch that answers one. They go ahead of what their connection still has waiting in
 * that direction, and past every other connection's deliveries: when nothing of their connection is
 * being delivered in that direction, the handler runs at once on the sender's thread (handlers are
 * non-blocking by contract: {@link WorkerListener}, {@link WorkerSession}); otherwise right after
 * the delivery in hand, on the transport's urgent thread. Per connection and direction, deliveries
 * still come one at a time, never overlapping, and in the order sent but for that overtaking.
 *
 * <pre>{@code
 * InProcessTransport transport = InProcessTransport.create();
 * Pool pool = Coordinator.builder().kind(k).transport(transport.coordinator()).build();
 * WorkerNode worker = WorkerNode.builder().transport(transport.worker()).kind(k)
 *     .backend(b).build().start();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the delivery threads it created.
 *
 * @since 0.1.0
 */
public final class InProcessTransport implements AutoCloseable {
  private final Executor executor;
  private final @Nullable ExecutorService owned;
  private final Executor urgentExecutor;
  private final @Nullable ExecutorService ownedUrgent;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile CoordinatorTransport.@Nullable Acceptor acceptor;
  private volatile boolean closed;

  private InProcessTransport(
      Executor executor,
      @Nullable ExecutorService owned,
      Executor urgentExecutor,
      @Nullable ExecutorService ownedUrgent) {
    this.executor = executor;
    this.owned = owned;
    this.urgentExecutor = urgentExecutor;
    this.ownedUrgent = ownedUrgent;
  }

  /**
   * A transport with its own delivery threads (one per core, daemon, of {@link
   * Thread#MIN_PRIORITY}), and one more for urgent messages (of {@link Thread#MAX_PRIORITY}). Where
   * the JVM passes Java priorities to the OS (HotSpot on Linux with {@code
   * -XX:ThreadPriorityPolicy=1}), urgent deliveries and the coordinator's scheduler then get a core
   * ahead of bulk deliveries; elsewhere the priorities change nothing.
   *
   * @return the transport
   */
  public static InProcessTransport create() {
    ForkJoinPool pool =
        new ForkJoinPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            p -> {
              var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
              t.setDaemon(true);
              t.setName("poolforge-inproc-" + t.getPoolIndex());
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            },
            null,
            true);
    ExecutorService urgent =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform()
                .name("poolforge-inproc-urgent")
                .priority(Thread.MAX_PRIORITY)
                .daemon()
                .factory());
    return new InProcessTransport(pool, pool, urgent, urgent);
  }

  /**
   * A transport that delivers on the given executor, urgent messages included (those that find
   * their connection idle still run on the sender's thread).
   *
   * @param executor runs deliveries; must not run them on the caller's thread
   * @return the transport
   */
  public static InProcessTransport create(Executor executor) {
    if (executor == null) {
      throw PoolException.invalidArgument("executor", "must not be null");
    }
    return new InProcessTransport(executor, null, executor, null);
  }

  /**
   * The coordinator's end; give it to {@code Coordinator.builder().transport(...)}. There is one
   * per transport.
   *
   * @return the coordinator transport
   */
  public CoordinatorTransport coordinator() {
    return coordinatorSide;
  }

  /**
   * A worker's end; each worker may have its own or share one.
   *
   * @return a worker transport
   */
  public WorkerTransport worker() {
    return workerSide;
  }

  /** How many workers are connected now. */
  int connections() {
    return links.size();
  }

  @Override
  public void close() {
    coordinatorSide.close();
    if (owned != null) {
      owned.shutdown();
    }
    if (ownedUrgent != null) {
      ownedUrgent.shutdown();
    }
  }

  private final CoordinatorTransport coordinatorSide =
      new CoordinatorTransport() {
        @Override
        public void start(Acceptor value) {
          if (value == null) {
            throw PoolException.invalidArgument("acceptor", "must not be null");
          }
          if (acceptor != null) {
            throw new IllegalStateException(
                "the in-process coordinator transport was already started");
          }
          acceptor = value;
        }

        @Override
        public void close() {
          closed = true;
          PoolException reason = new PoolException(ErrorCode.UNAVAILABLE, "coordinator closed");
          for (Link link : links) {
            link.closeFromCoordinator(reason);
          }
        }
      };

  private final WorkerTransport workerSide =
      new WorkerTransport() {
        @Override
        public WorkerConnection connect(Registration registration, WorkerListener listener) {
          if (registration == null || listener == null) {
            throw PoolException.invalidArgument(
                registration == null ? "registration" : "listener", "must not be null");
          }
          CoordinatorTransport.Acceptor a = acceptor;
          if (a == null || closed) {
            throw new PoolException(
                ErrorCode.UNAVAILABLE, "no coordinator is listening on this in-process transport");
          }
          Link link = new Link(listener);
          WorkerSession session = a.accept(registration, link.channel);
          link.session = session;
          links.add(link);
          return link.connection;
        }

        @Override
        public void close() {
          // connections are closed one by one by their owners
        }
      };

  /** One worker's connection, with an ordered queue of deliveries in each direction. */
  private final class Link {
    private final SerialExecutor toCoordinator = new SerialExecutor(executor, urgentExecutor);
    private final SerialExecutor toWorker = new SerialExecutor(executor, urgentExecutor);
    // urgent tasks assigned over this connection and not answered yet: their results are urgent
    private final Set<TaskId> urgentTasks = ConcurrentHashMap.newKeySet();
    private final WorkerListener listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    // credit the worker granted that no assignment has used yet (the transport contract: never
    // more assignments than granted)
    private final java.util.concurrent.atomic.AtomicLong credit =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile @Nullable WorkerSession session;

    Link(WorkerListener listener) {
      this.listener = listener;
    }

    private void toWorker(boolean urgent, Runnable delivery) {
      toWorker.execute(delivery, urgent);
    }

    private void toCoordinator(boolean urgent, Runnable delivery) {
      toCoordinator.execute(delivery, urgent);
    }

    private WorkerSession session() {
      WorkerSession s = session;
      if (s == null) {
        throw new IllegalStateException("not connected yet");
      }
      return s;
    }

    void closeFromCoordinator(PoolException reason) {
      if (open.compareAndSet(true, false)) {
        links.remove(this);
        toWorker(false, () -> listener.onClosed(reason));
        toCoordinator(false, () -> session().onClosed(reason));
      }
    }

    final WorkerChannel channel =
        new WorkerChannel() {
          @Override
          public void assign(List<Assignment> assignments) {
            if (assignments == null) {
              throw PoolException.invalidArgument("assignments", "must not be null");
            }
            if (assignments.isEmpty()) {
              return;
            }
            int n = assignments.size();
            long left = credit.getAndUpdate(c -> c >= n ? c - n : c);
            if (left < n) {
              throw new PoolException(
                  ErrorCode.RESOURCE_EXHAUSTED,
                  "assignments",
                  "assignments: " + n + " exceed the worker's remaining credit of " + left,
                  null);
            }
            if (open.get()) {
              boolean urgent = false;
              for (Assignment a : assignments) {
                if (a.priority() >= Priority.HIGH) {
                  urgentTasks.add(a.lease().task());
                  urgent = true;
                }
              }
              toWorker(urgent, () -> listener.onAssignments(assignments));
            }
          }

          @Override
          public void revoke(List<TaskId> tasks) {
            if (tasks == null) {
              throw PoolException.invalidArgument("tasks", "must not be null");
            }
            if (open.get()) {
              if (!urgentTasks.isEmpty()) {
                tasks.forEach(urgentTasks::remove); // never answered now: forget them
              }
              toWorker(false, () -> listener.onRevoked(tasks));
            }
          }

          @Override
          public void close(PoolException reason) {
            closeFromCoordinator(reason);
          }
        };

    final WorkerConnection connection =
        new WorkerConnection() {
          @Override
          public void grant(int credits) {
            if (credits <= 0) {
              throw PoolException.invalidArgument("credits", "is " + credits + ", must be > 0");
            }
            if (open.get()) {
              credit.addAndGet(credits);
              toCoordinator(false, () -> session().onCredit(credits));
            }
          }

          @Override
          public void sendResults(List<WorkResult> results) {
            if (results == null) {
              throw PoolException.invalidArgument("results", "must not be null");
            }
            if (open.get()) {
              List<WorkResult> copy = List.copyOf(results);
              boolean urgent = false;
              if (!urgentTasks.isEmpty()) {
                for (WorkResult r : copy) {
                  urgent |= urgentTasks.remove(r.lease().task());
                }
              }
              toCoordinator(urgent, () -> session().onResults(copy));
            }
          }

          @Override
          public void heartbeat(Heartbeat heartbeat) {
            if (open.get()) {
              toCoordinator(false, () -> session().onHeartbeat(heartbeat));
            }
          }

          @Override
          public void checkpoint(LeaseRef lease, Bytes state) {
            if (open.get()) {
              toCoordinator(false, () -> session().onCheckpoint(lease, state));
            }
          }

          @Override
          public void close() {
            if (open.compareAndSet(true, false)) {
              links.remove(Link.this);
              toCoordinator(false, () -> session().onClosed(null));
              toWorker(false, () -> listener.onClosed(null));
            }
          }
        };
  }
}
