package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.api.schedule.WorkerView;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import io.poolforge.compute.core.verify.Verifier.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: the single writer of all scheduling state. Other threads {@link #post} commands
 * (submit, credit, results, heartbeats, cancel, worker joins and losses) into a lock-free inbox;
 * the loop thread drains it, then places queued tasks onto workers with credit, sends the batches,
 * hands future completions to the executor, and checks timers (lease expiry, deadlines) by the
 * injected clock. Readers see published snapshots only.
 *
 * <p>Commands that concern an urgent task (priority {@link Priority#HIGH} or more: its admission,
 * its result) go to a second inbox with {@link #postUrgent}. The loop looks at it before each
 * command of the main inbox, and when it holds something runs it, places tasks and hands out the
 * completions at once, so that an urgent task never waits behind a backlog of bulk commands.
 */
final class Scheduler implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final Predicate<WorkerView> NONE = w -> false;
  private static final int MAX_ASIDE = 64;

  private final EngineConfig config;
  private final PoolEngine engine;
  private final Clock clock;
  private final EventHub events;
  private final Verifier verifier;
  private EngineMetrics metrics = EngineMetrics.NOOP;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Runnable> urgentInbox = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean parked;

  /** Written by the loop only. */
  private volatile long heartbeatsHandled;

  private volatile boolean running = true;

  private final Map<Lane.Key, Lane> lanes = new HashMap<>();
  private final List<Lane> laneList = new ArrayList<>();
  private final Map<WorkerId, WorkerSlot> workers = new HashMap<>();
  private final ArrayDeque<Integer> freeIndices = new ArrayDeque<>();
  private int nextIndex;
  private long nextSeed;

  /**
   * Tasks that were running when the coordinator stopped, by task id, held for the workers that ran
   * them until {@link #heldUntilMillis} (see {@link #recover}).
   */
  private final Map<Long, Held> restartHeld = new HashMap<>();

  private long heldUntilMillis;

  /** Whether task states are stored (a task store is configured). */
  private final boolean durable;

  /**
   * The two latest ticks: the store learns who holds a RUNNING task (see {@link
   * #persistLongLeases}) once its lease has lived from one tick past the next, so that short tasks,
   * done by then, cost no store write for it.
   */
  private long previousTickMillis = Long.MIN_VALUE;

  private long lastTickMillis = Long.MIN_VALUE;

  /** Tasks that wait for a copy no connected worker may take (see {@link #strand}). */
  private final List<TaskEntry> stranded = new ArrayList<>();

  private final PriorityQueue<TaskEntry> deadlines =
      new PriorityQueue<>(Comparator.comparing((TaskEntry t) -> t.deadlineAt));
  private List<Runnable> completions = new ArrayList<>();
  private List<Runnable> urgentCompletions = new ArrayList<>(1);

  /**
   * Completes urgent tasks' futures (priority {@link Priority#HIGH} or more), so that their waiters
   * do not queue behind bulk completions on the executor. A thread of its own, of {@link
   * Thread#MAX_PRIORITY}; idle but for urgent tasks.
   */
  private final ExecutorService urgentCompleter =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform()
              .name("poolforge-urgent-completions")
              .priority(Thread.MAX_PRIORITY)
              .daemon()
              .factory());

  private final AtomicLongArray queuedByPriority = new AtomicLongArray(Priority.LEVELS);
  private volatile double utilization;
  private volatile List<WorkerInfo> workerSnapshot = List.of();
  private final long tickNanos;

  /**
   * When the timers next look at every worker: when the first lease can expire (the earliest last
   * sign of life plus the lease; signs of life only move forward), and at least once a second for
   * the utilization figure. Looking at every tick (20 a second) cost the loop about 5% of a core
   * with 10,000 workers and nothing but heartbeats flowing.
   */
  private long nextScanMillis;

  /** Workers whose connection broke, waiting out the reconnect grace: looked at every tick. */
  private final List<WorkerSlot> broken = new ArrayList<>();

  private long seenQuarantineVersion = -1;
  private boolean workersChanged;
  private final long leaseMillis;
  private final long graceMillis;
  private final long targetBatchNanos;
  private long nextTickMillis;

  Scheduler(EngineConfig config, PoolEngine engine, EventHub events) {
    this.config = config;
    this.engine = engine;
    this.clock = config.clock();
    this.events = events;
    this.verifier = config.verifier();
    this.tickNanos = config.tickInterval().toNanos();
    this.leaseMillis = config.leaseDuration().toMillis();
    this.graceMillis = config.reconnectGrace().toMillis();
    this.durable = config.taskStore() != null;
    this.targetBatchNanos = config.targetBatch().toNanos();
    // above bulk work where the JVM passes priorities to the OS: the loop serves urgent tasks too
    this.thread =
        Thread.ofPlatform()
            .name("poolforge-scheduler")
            .priority(Thread.MAX_PRIORITY)
            .daemon()
            .unstarted(this);
  }

  void start(EngineMetrics metrics) {
    this.metrics = metrics;
    thread.start();
  }

  /** Queues a command for the loop. Any thread; never blocks. */
  void post(Runnable command) {
    inbox.offer(command);
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Queues a command without waking a parked loop: it runs at the loop's next wake-up, at the
   * latest one tick later, still in order with everything posted. For heartbeats: a pool of 10,000
   * workers sends 2,000 a second, and waking the loop for each cost more than handling it, while
   * what a heartbeat carries (load, free memory, the lease's last sign of life) can wait a tick:
   * timers run after the commands of the same loop, so a heartbeat queued before a tick is seen
   * before that tick expires a lease. Any thread; never blocks.
   */
  void postQuietly(Runnable command) {
    inbox.offer(command);
  }

  /**
   * Queues a command for an urgent task: the loop runs it ahead of the main inbox's backlog, then
   * places tasks and hands out completions at once. Any thread; never blocks.
   */
  void postUrgent(Runnable command) {
    urgentInbox.offer(command);
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  /** How many commands wait in the main inbox (for tests; counts them). Any thread. */
  int waiting() {
    return inbox.size();
  }

  /** Heartbeats handled so far (for tests). Any thread. */
  long heartbeatsHandled() {
    return heartbeatsHandled;
  }

  /** Whether the loop is parked, waiting for a command or the next tick (for tests). Any thread. */
  boolean isParked() {
    return parked;
  }

  /** Whether urgent commands wait for the loop (for tests). Any thread. */
  boolean urgentWaiting() {
    return !urgentInbox.isEmpty();
  }

  /** Whether a live task of this id is urgent (priority HIGH or more). Any thread. */
  boolean isUrgentTask(long id) {
    return engine.isUrgent(id);
  }

  /** Stops the loop after the queued commands; fails unfinished futures. Blocks until done. */
  void stop() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    urgentCompleter.shutdown(); // the loop's last completions still run
  }

  boolean onLoop() {
    return Thread.currentThread() == thread;
  }

  // ---------------------------------------------------------------- readers (any thread)

  double queuedAt(int priority) {
    return queuedByPriority.get(priority);
  }

  double utilization() {
    return utilization;
  }

  double workerCount() {
    return workerSnapshot.size();
  }

  List<WorkerInfo> workers() {
    return workerSnapshot;
  }

  // ---------------------------------------------------------------- the loop

  @Override
  public void run() {
    nextTickMillis = clock.millis();
    while (running || !inbox.isEmpty() || !urgentInbox.isEmpty()) {
      Runnable command;
      int n = 0;
      while (n < 65_536) {
        if (!urgentInbox.isEmpty()) {
          runUrgent();
        }
        if ((command = inbox.poll()) == null) {
          break;
        }
        runCommand(command);
        n++;
      }
      try {
        dispatch();
        long now = clock.millis();
        if (now >= nextTickMillis) {
          tick(now);
          nextTickMillis = now + Math.max(1, tickNanos / 1_000_000);
        }
        flushCompletions();
        engine.flushUpdates();
        if (workersChanged) {
          refreshWorkers();
        }
      } catch (RuntimeException | Error e) {
        LOG.error("scheduler step failed", e);
      }
      if (inbox.isEmpty() && urgentInbox.isEmpty()) {
        parked = true;
        if (inbox.isEmpty() && urgentInbox.isEmpty() && running) {
          LockSupport.parkNanos(this, tickNanos);
        }
        parked = false;
      }
    }
    shutdown();
  }

  private static void runCommand(Runnable command) {
    try {
      command.run();
    } catch (RuntimeException | Error e) {
      LOG.error("scheduler command failed", e);
    }
  }

  /** Runs the urgent commands, then places tasks and hands out completions without waiting. */
  private void runUrgent() {
    Runnable command;
    while ((command = urgentInbox.poll()) != null) {
      runCommand(command);
    }
    try {
      flushUrgentCompletions(); // before placing a backlog of bulk tasks freed credit lets through
      dispatch();
      flushCompletions();
    } catch (RuntimeException | Error e) {
      LOG.error("scheduler step failed", e);
    }
  }

  private void shutdown() {
    PoolException closed = new PoolException(ErrorCode.UNAVAILABLE, "the pool was closed");
    for (TaskEntry t : engine.liveEntries()) {
      if (!t.terminal) {
        complete(t, () -> t.result.completeExceptionally(closed));
      }
    }
    flushCompletions();
    engine.flushUpdates();
  }

  // ---------------------------------------------------------------- commands

  /** New tasks, already durable when a store is configured. */
  void admit(List<TaskEntry> entries) {
    long now = clock.millis();
    for (TaskEntry t : entries) {
      if (t.terminal) {
        continue;
      }
      if (t.deadlineAt != null) {
        deadlines.add(t);
      }
      TaskEntry[] chunks = t.chunks;
      if (chunks != null) {
        publish(t, TaskState.RUNNING, null);
        for (TaskEntry c : chunks) {
          admitOne(c, now);
        }
      } else {
        admitOne(t, now);
      }
    }
  }

  /**
   * A task that the store shows RUNNING on {@code worker} with {@code attempt} when this
   * coordinator started.
   */
  record Held(TaskEntry task, WorkerId worker, int attempt) {}

  /**
   * Unfinished tasks reloaded from the store after a restart. The {@code running} ones (a subset of
   * {@code entries}) are held for the reconnect grace: a worker that registers again within it and
   * presents the same lease (task and attempt) keeps running it, as after a broken connection (see
   * {@link #resume}); the others are queued when the grace ends (see {@link #tick}). The rest are
   * queued now.
   */
  void recover(List<TaskEntry> entries, List<Held> running) {
    if (running.isEmpty()) {
      admit(entries);
      return;
    }
    Set<TaskEntry> holding = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Held h : running) {
      holding.add(h.task());
    }
    List<TaskEntry> rest = new ArrayList<>(entries.size());
    for (TaskEntry t : entries) {
      if (!holding.contains(t)) {
        rest.add(t);
      }
    }
    admit(rest);
    heldUntilMillis = clock.millis() + graceMillis;
    for (Held h : running) {
      TaskEntry t = h.task();
      if (t.terminal) {
        continue;
      }
      if (t.deadlineAt != null) {
        deadlines.add(t);
      }
      t.needed = Math.max(1, verifier.initialCopies(t.spec, t.verification));
      t.lane = laneOf(t);
      publish(t, TaskState.RUNNING, h.worker());
      restartHeld.put(t.id.value(), h);
    }
  }

  /**
   * Stores the RUNNING state, with the worker holding the lease and its attempt, of each task whose
   * latest lease was handed out after tick {@code from} and by tick {@code to} and is still held
   * (so each such lease once, a tick period or more after it was handed out), through the group
   * commit with the step's other changes. After a restart, the coordinator lets that worker resume
   * it (see {@link #recover}); a task that ran shorter than that simply runs again. Costs one pass
   * over the leases held, and nothing per assignment.
   */
  private void persistLongLeases(long from, long to) {
    if (to == Long.MIN_VALUE) {
      return; // the first tick: nothing has lived from one tick past the next yet
    }
    for (WorkerSlot w : workers.values()) {
      w.leases.forEachValue(
          l -> {
            TaskEntry t = l.task();
            if (t.parent != null || t.terminal || l.attempt() != t.attempts) {
              return;
            }
            TaskEntry.Snapshot s = t.snapshot;
            long at = s.updatedAt().toEpochMilli();
            if (s.state() == TaskState.RUNNING && at > from && at <= to) {
              engine.persist(t, null);
            }
          });
    }
  }

  /** The grace for the held tasks ended: those no worker resumed are queued. */
  private void releaseHeld(long now) {
    for (Held h : restartHeld.values()) {
      TaskEntry t = h.task();
      if (!t.terminal && t.running.isEmpty()) {
        publish(t, TaskState.QUEUED, null);
        admitOne(t, now);
      }
    }
    restartHeld.clear();
  }

  /**
   * Gives a re-registering worker a task held since the restart when the store showed it running on
   * that worker with that attempt.
   */
  private boolean resumeHeld(WorkerSlot w, LeaseRef ref) {
    Held h = restartHeld.get(ref.task().value());
    if (h == null
        || !h.worker().equals(w.id())
        || h.attempt() != ref.attempt()
        || h.task().terminal) {
      return false;
    }
    restartHeld.remove(ref.task().value());
    TaskEntry t = h.task();
    Lease lease = new Lease(t, ref.attempt(), w);
    w.leases.put(ref.task().value(), lease);
    t.running.add(lease);
    t.dispatched++;
    t.needed--;
    t.lastWorker = w.id();
    if (t.needed > 0) {
      requeue(t); // further verification copies go to other workers
    }
    return true;
  }

  private void admitOne(TaskEntry t, long now) {
    t.needed = Math.max(1, verifier.initialCopies(t.spec, t.verification));
    Lane lane = laneOf(t);
    t.lane = lane;
    lane.queue.push(t, now);
    queuedByPriority.lazySet(t.spec.priority(), queuedByPriority.get(t.spec.priority()) + 1);
    lane.dirty = true;
  }

  /**
   * Forgets every live task without storing anything, because this coordinator lost the leader
   * lease and the next leader owns them now: queued ones leave their lanes, running ones are
   * revoked from their workers, and their result futures fail with {@code reason}.
   */
  void dropAll(List<TaskEntry> entries, PoolException reason) {
    for (TaskEntry t : entries) {
      drop(t, reason);
    }
    deadlines.clear();
    flushCompletions();
  }

  private void drop(TaskEntry t, PoolException reason) {
    if (t.terminal) {
      return;
    }
    t.terminal = true;
    engine.dropped();
    withdraw(t);
    TaskEntry[] chunks = t.chunks;
    if (chunks != null) {
      for (TaskEntry c : chunks) {
        drop(c, reason);
      }
    }
    if (t.parent == null) {
      complete(t, () -> t.result.completeExceptionally(reason));
    }
  }

  boolean cancel(TaskEntry t) {
    if (t.terminal) {
      return false;
    }
    fail(t, ErrorCode.CANCELLED, "cancelled by the submitter");
    return true;
  }

  void join(WorkerSlot w, List<LeaseRef> held) {
    WorkerSlot old = workers.get(w.id());
    List<TaskId> expired = resume(old, w, held);
    if (old != null) {
      lose(old, "replaced by a new connection of the same worker");
    }
    Integer reuse = freeIndices.poll();
    w.index = reuse != null ? reuse : nextIndex++;
    w.lastSeenMillis = clock.millis();
    workers.put(w.id(), w);
    for (Lane lane : laneList) {
      if (lane.admits(w.info.capabilities())) {
        addToLane(lane, w);
      }
    }
    workersChanged = true;
    if (events.active()) {
      events.publish(new PoolEvent.WorkerJoined(clock.instant(), w.info));
    }
    if (!expired.isEmpty()) {
      try {
        w.channel.revoke(expired);
      } catch (RuntimeException e) {
        LOG.debug("revoke to {} failed", w.id(), e);
      }
    }
  }

  /**
   * A worker that registers again (after its connection broke) presents the leases it still holds:
   * those its previous connection still holds with the same attempt move to the new connection and
   * keep running, as do those held since a restart for this worker and attempt (see {@link
   * #recover}); the others are void, and the returned list is revoked.
   */
  private List<TaskId> resume(@Nullable WorkerSlot old, WorkerSlot w, List<LeaseRef> held) {
    if (held.isEmpty()) {
      return List.of();
    }
    List<TaskId> expired = new ArrayList<>();
    for (LeaseRef ref : held) {
      Lease l = old == null ? null : old.leases.get(ref.task().value());
      if (l == null || l.attempt() != ref.attempt() || l.task().terminal) {
        if (restartHeld.isEmpty() || !resumeHeld(w, ref)) {
          expired.add(ref.task());
        }
        continue;
      }
      old.leases.remove(ref.task().value());
      TaskEntry t = l.task();
      Lease moved = new Lease(t, l.attempt(), w);
      t.running.set(t.running.indexOf(l), moved);
      w.leases.put(ref.task().value(), moved);
    }
    return expired;
  }

  void credit(WorkerSlot w, int credits) {
    if (w.gone) {
      return;
    }
    w.freeCredit = (int) Math.min(Integer.MAX_VALUE, (long) w.freeCredit + credits);
    w.lastSeenMillis = clock.millis();
    changed(w);
  }

  void heartbeat(WorkerSlot w, Heartbeat hb, long latencyNanos) {
    heartbeatsHandled++; // one writer: the loop
    if (w.gone) {
      return;
    }
    w.lastSeenMillis = clock.millis();
    w.load = Math.max(hb.cpuLoad(), hb.deviceLoad());
    w.freeDeviceMemory = hb.freeDeviceMemoryBytes();
    if (latencyNanos > 0) {
      w.latencyNanos =
          w.latencyNanos == 0 ? latencyNanos : 0.8 * w.latencyNanos + 0.2 * latencyNanos;
    }
    changed(w);
  }

  void checkpoint(WorkerSlot w, LeaseRef ref, Bytes state) {
    Lease lease = w.leases.get(ref.task().value());
    if (w.gone || lease == null || lease.attempt() != ref.attempt() || lease.task().terminal) {
      return;
    }
    TaskEntry t = lease.task();
    t.checkpoint = state;
    if (t.parent == null) {
      engine.persist(t, null);
    }
  }

  void results(WorkerSlot w, List<WorkResult> results) {
    if (w.gone) {
      engine.countStale(results.size());
      return;
    }
    w.lastSeenMillis = clock.millis();
    for (WorkResult r : results) {
      long id = r.lease().task().value();
      Lease lease = w.leases.get(id);
      if (lease == null || lease.attempt() != r.lease().attempt()) {
        // Late (after reassignment), replayed, or never leased to this worker: at most once.
        engine.countStale(1);
        continue;
      }
      w.leases.remove(id);
      TaskEntry t = lease.task();
      t.running.remove(lease);
      if (r.error() == null && r.elapsedNanos() > 0) {
        w.measured(t.spec.kind(), r.elapsedNanos());
      }
      if (t.terminal) {
        continue;
      }
      if (r.error() != null) {
        attemptFailed(
            t,
            w.id(),
            "worker " + w.id() + " reported " + r.error().code() + ": " + r.error().message(),
            r.error().code());
      } else {
        judge(t, r);
        if (!t.terminal) {
          // a worker (and its owner) that answered never gets another copy of the same task
          t.avoid(w.id());
          if (t.verification.mode() != VerificationSpec.Mode.NONE) {
            if (t.avoidOwners == null) {
              t.avoidOwners = new ArrayList<>(2);
            }
            t.avoidOwners.add(w.owner());
          }
        }
      }
    }
    if (!w.gone && config.reputation() != null && config.reputation().quarantined(w.id())) {
      // judged into quarantine by this batch: cut off now, not at the next tick, so that a fast
      // cheater gets no more work in between (each copy it answers only fails verification)
      cutOff(w, true, "quarantined by reputation");
      return;
    }
    changed(w);
  }

  /**
   * Loses a worker and closes its connection: UNAUTHENTICATED with a {@link
   * PoolEvent.WorkerQuarantined} event when reputation quarantined it, UNAVAILABLE when it fell
   * silent.
   */
  private void cutOff(WorkerSlot w, boolean quarantined, String reason) {
    lose(w, reason);
    if (quarantined && events.active()) {
      events.publish(new PoolEvent.WorkerQuarantined(clock.instant(), w.id(), reason));
    }
    try {
      w.channel.close(
          new PoolException(
              quarantined ? ErrorCode.UNAUTHENTICATED : ErrorCode.UNAVAILABLE, reason));
    } catch (RuntimeException e) {
      LOG.debug("closing {} failed", w.id(), e);
    }
  }

  void badResult(WorkerId worker, TaskId task, String reason) {
    if (events.active()) {
      events.publish(new PoolEvent.VerificationFailed(clock.instant(), task, worker, reason));
    }
  }

  /** A result that failed its signature check (or claimed another worker), and why. */
  record Forgery(TaskId task, String reason) {}

  /**
   * Results that failed their signature check: each is reported as a {@link
   * PoolEvent.VerificationFailed}, then the worker is cut off. It is lost (its leases go back to
   * the queue for other workers, each counting as a failed attempt) and its connection is closed
   * with UNAUTHENTICATED naming the task. A late, stale or replayed result is not a forgery and
   * never comes here: it is dropped as stale (see {@link #results}).
   */
  void forged(WorkerSlot w, List<Forgery> forgeries) {
    for (Forgery f : forgeries) {
      badResult(w.id(), f.task(), f.reason());
    }
    if (w.gone || forgeries.isEmpty()) {
      return;
    }
    Forgery first = forgeries.get(0);
    String reason =
        "the result for "
            + first.task()
            + " failed its signature check ("
            + first.reason()
            + (forgeries.size() > 1 ? ", and " + (forgeries.size() - 1) + " more" : "")
            + "): worker "
            + w.id()
            + " is cut off";
    lose(w, reason);
    try {
      w.channel.close(new PoolException(ErrorCode.UNAUTHENTICATED, reason));
    } catch (RuntimeException e) {
      LOG.debug("closing {} failed", w.id(), e);
    }
  }

  void closed(WorkerSlot w, @Nullable PoolException reason) {
    if (w.gone) {
      return;
    }
    if (reason != null && reason.retryable() && workers.get(w.id()) == w && !w.leases.isEmpty()) {
      if (w.brokenAtMillis >= 0) {
        return; // already waiting out its reconnect grace, which counts from the first break
      }
      // The connection broke (not a clean close): the worker may reconnect and resume its leases.
      // It gets no new work meanwhile; unless it registers again within the reconnect grace, it
      // is lost and its tasks go to other workers (tick).
      for (Lane lane : w.lanes) {
        lane.allocator.removed(w);
        lane.workers--;
      }
      w.lanes.clear();
      w.freeCredit = 0;
      w.brokenAtMillis = clock.millis();
      w.brokenReason = reason.getMessage();
      broken.add(w);
      return;
    }
    lose(w, reason == null ? "disconnected" : reason.getMessage());
  }

  void truth(TaskEntry t, @Nullable Bytes output, @Nullable RuntimeException error) {
    t.recomputing = false;
    if (t.terminal) {
      return;
    }
    if (output == null) {
      fail(
          t,
          ErrorCode.VERIFICATION_FAILED,
          "trusted recompute failed: " + (error == null ? "no output" : error.getMessage()));
      return;
    }
    List<WorkResult> results = t.results == null ? List.of() : t.results;
    act(t, verifier.judgeWithTruth(view(t), results, output));
  }

  // ---------------------------------------------------------------- lanes

  private Lane laneOf(TaskEntry t) {
    Lane.Key key = new Lane.Key(t.spec.kind(), t.spec.requirements());
    Lane lane = lanes.get(key);
    if (lane == null) {
      Map<String, Integer> weights = config.submitterWeights();
      LaneQueue queue =
          new LaneQueue(config.agingStep().toMillis(), s -> weights.getOrDefault(s, 1).intValue());
      lane = new Lane(key, queue, config.policy().newAllocator(config.seed() + nextSeed++));
      lanes.put(key, lane);
      laneList.add(lane);
      for (WorkerSlot w : workers.values()) {
        if (lane.admits(w.info.capabilities())) {
          addToLane(lane, w);
        }
      }
    }
    return lane;
  }

  private void addToLane(Lane lane, WorkerSlot w) {
    w.lanes.add(lane);
    lane.workers++;
    lane.allocator.added(w);
    if (lane.queue.size() > 0) {
      lane.dirty = true;
    }
  }

  private void changed(WorkerSlot w) {
    for (Lane lane : w.lanes) {
      lane.allocator.changed(w);
      if (w.freeCredit > 0 && lane.queue.size() > 0) {
        lane.dirty = true;
      }
    }
  }

  // ---------------------------------------------------------------- placement

  private void dispatch() {
    long now = clock.millis();
    while (true) {
      if (!engine.mayDispatch()) {
        return; // a standby, or a leader whose lease lapsed: assigns nothing
      }
      Lane best = null;
      int bestPriority = -1;
      int dirty = 0;
      for (Lane lane : laneList) {
        if (!lane.dirty) {
          continue;
        }
        if (lane.queue.size() == 0 || lane.workers == 0) {
          lane.dirty = false;
          continue;
        }
        dirty++;
        int p = lane.queue.topPriority(now);
        if (p > bestPriority) {
          best = lane;
          bestPriority = p;
        }
      }
      if (best == null) {
        return;
      }
      if (dirty == 1) {
        while (dispatchBatch(best, now)) {
          // one lane: keep placing until it runs out of tasks or credit
        }
        best.dirty = false;
        return;
      }
      if (!dispatchBatch(best, now)) {
        best.dirty = false;
      }
    }
  }

  private boolean dispatchBatch(Lane lane, long now) {
    long started = System.nanoTime();
    List<TaskEntry> aside = null;
    WorkerSlot w = null;
    TaskEntry first = null;
    String kind = lane.key.kind();
    for (int tries = 0; tries < MAX_ASIDE; tries++) {
      TaskEntry t = poll(lane, now);
      if (t == null) {
        break;
      }
      WorkerSlot candidate =
          (WorkerSlot) lane.allocator.pick(kind, null, t.constrained() ? exclusion(t) : NONE);
      if (candidate == null && urgent(t)) {
        candidate = withReserve(lane, t);
      }
      if (candidate != null) {
        first = t;
        w = candidate;
        break;
      }
      if (aside == null) {
        aside = new ArrayList<>();
      }
      aside.add(t);
      if (!t.constrained()) {
        break; // no worker has credit at all
      }
      if (t.strandedSince < 0 && noEligibleWorker(t, lane)) {
        t.strandedSince = now;
        stranded.add(t);
      }
    }
    if (w == null || first == null) {
      restore(lane, aside);
      return false;
    }
    int reserve = w.reserve();
    int size =
        Math.min(
            w.freeCredit - (urgent(first) ? 0 : reserve),
            w.batchSize(kind, targetBatchNanos, config.maxBatch(), config.initialBatch()));
    if (size < 1) {
      requeue(first);
      restore(lane, aside);
      return false;
    }
    Instant leaseExpiry = Instant.ofEpochMilli(now + leaseMillis);
    aside = assign(first, w, leaseExpiry, aside);
    int count = 1;
    while (count < size) {
      TaskEntry t = poll(lane, now);
      if (t == null) {
        break;
      }
      if (w.freeCredit <= reserve && !urgent(t)) {
        requeue(t); // the reserved credit stays for an urgent task
        break;
      }
      if (t.constrained() && excluded(t, w)) {
        if (aside == null) {
          aside = new ArrayList<>();
        }
        aside.add(t);
        if (aside.size() > MAX_ASIDE) {
          break;
        }
        continue;
      }
      aside = assign(t, w, leaseExpiry, aside);
      count++;
    }
    restore(lane, aside);
    // one assign call per batch: the worker runs what arrives together as one job
    List<Assignment> batch = w.outbox;
    w.outbox = new ArrayList<>();
    changed(w);
    try {
      w.channel.assign(batch);
    } catch (RuntimeException e) {
      LOG.warn("sending {} assignments to {} failed", batch.size(), w.id(), e);
      lose(w, "send failed: " + e.getMessage());
    }
    metrics.allocated(System.nanoTime() - started, count);
    return true;
  }

  private static boolean urgent(TaskEntry t) {
    return t.spec.priority() >= Priority.HIGH;
  }

  /**
   * For an urgent task no allocator pick found room for: the lane's worker with the most credit
   * left, counting the credit reserved for urgent tasks, or null if none has any.
   */
  private @Nullable WorkerSlot withReserve(Lane lane, TaskEntry t) {
    WorkerSlot best = null;
    for (WorkerSlot w : workers.values()) {
      if (!w.gone
          && w.freeCredit > 0
          && w.lanes.contains(lane)
          && !(t.constrained() && excluded(t, w))
          && (best == null || w.freeCredit > best.freeCredit)) {
        best = w;
      }
    }
    return best;
  }

  private @Nullable TaskEntry poll(Lane lane, long now) {
    TaskEntry t = lane.queue.poll(now);
    if (t != null) {
      int p = t.spec.priority();
      queuedByPriority.lazySet(p, queuedByPriority.get(p) - 1);
    }
    return t;
  }

  private void requeue(TaskEntry t) {
    Lane lane = t.lane;
    if (lane == null || t.queued || t.terminal) {
      return;
    }
    lane.queue.pushFront(t);
    int p = t.spec.priority();
    queuedByPriority.lazySet(p, queuedByPriority.get(p) + 1);
    lane.dirty = true;
  }

  private void restore(Lane lane, @Nullable List<TaskEntry> aside) {
    if (aside == null) {
      return;
    }
    for (int i = aside.size() - 1; i >= 0; i--) {
      requeue(aside.get(i));
    }
  }

  private @Nullable List<TaskEntry> assign(
      TaskEntry t, WorkerSlot w, Instant leaseExpiry, @Nullable List<TaskEntry> aside) {
    t.attempts++;
    t.dispatched++;
    t.needed--;
    Lease lease = new Lease(t, t.attempts, w);
    w.leases.put(t.id.value(), lease);
    t.running.add(lease);
    w.freeCredit--;
    t.lastWorker = w.id();
    publish(t, TaskState.RUNNING, w.id());
    w.outbox.add(
        new Assignment(
            new LeaseRef(t.id, t.attempts),
            t.spec.kind(),
            t.spec.payload(),
            leaseExpiry,
            t.checkpoint,
            t.spec.priority()));
    if (t.needed > 0) {
      List<TaskEntry> list = aside == null ? new ArrayList<>() : aside;
      list.add(t);
      return list;
    }
    return aside;
  }

  private Predicate<WorkerView> exclusion(TaskEntry t) {
    return w -> excluded(t, (WorkerSlot) w);
  }

  private static boolean excluded(TaskEntry t, WorkerSlot w) {
    if (t.avoid != null && t.avoid.contains(w.id())) {
      return true;
    }
    if (t.avoidOwners != null && t.avoidOwners.contains(w.owner())) {
      return true;
    }
    boolean distinctOwners = t.verification.mode() != VerificationSpec.Mode.NONE;
    for (Lease l : t.running) {
      if (l.worker() == w || (distinctOwners && l.worker().owner().equals(w.owner()))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- verification

  private Verifier.TaskView view(TaskEntry t) {
    return new Verifier.TaskView(t.spec, t.kind, t.verification, t.dispatched);
  }

  private void judge(TaskEntry t, WorkResult r) {
    if (t.results == null) {
      t.results = new ArrayList<>(1);
    }
    t.results.add(r);
    Decision decision;
    try {
      decision = verifier.judge(view(t), t.results);
    } catch (RuntimeException e) {
      LOG.error("verifier failed on task {}", t.id, e);
      fail(t, ErrorCode.INTERNAL, "verifier failed: " + e);
      return;
    }
    act(t, decision);
  }

  private void act(TaskEntry t, Decision decision) {
    switch (decision) {
      case Decision.Accept a -> {
        markWrong(t, a.wrong());
        accept(t, a.winner(), a.method());
      }
      case Decision.Replicate r -> {
        markWrong(t, r.wrong());
        t.needed += Math.max(1, r.copies());
        publish(t, TaskState.VERIFYING, t.lastWorker);
        requeue(t);
      }
      case Decision.Wait w -> {
        if (t.running.isEmpty() && t.needed <= 0 && !t.recomputing) {
          fail(t, ErrorCode.VERIFICATION_FAILED, "the verifier waits but no replica is running");
        } else {
          publish(t, TaskState.VERIFYING, t.lastWorker);
        }
      }
      case Decision.RecomputeTrusted rt -> recompute(t, rt.reason());
      case Decision.Fail f -> {
        markWrong(t, f.wrong());
        fail(t, ErrorCode.VERIFICATION_FAILED, f.reason());
      }
    }
  }

  private void markWrong(TaskEntry t, List<WorkerId> wrong) {
    for (WorkerId id : wrong) {
      t.avoid(id);
      if (events.active()) {
        events.publish(
            new PoolEvent.VerificationFailed(clock.instant(), t.id, id, "result refuted"));
      }
    }
  }

  private void recompute(TaskEntry t, String reason) {
    var backend = config.trustedBackend();
    if (backend == null) {
      fail(
          t,
          ErrorCode.VERIFICATION_FAILED,
          reason + "; no trusted backend is configured to recompute it");
      return;
    }
    if (t.recomputing) {
      return;
    }
    t.recomputing = true;
    publish(t, TaskState.VERIFYING, t.lastWorker);
    config
        .executor()
        .execute(
            () -> {
              try {
                Bytes out = runTrusted(t.kind, t.spec.payload(), backend);
                post(() -> truth(t, out, null));
              } catch (RuntimeException e) {
                post(() -> truth(t, null, e));
              }
            });
  }

  private static <I, O> Bytes runTrusted(
      TaskKind<I, O> kind, Bytes payload, io.poolforge.compute.api.backend.ComputeBackend backend) {
    I input = kind.inputCodec().decode(payload);
    List<O> out = backend.execute(kind, List.of(input), ExecutionContext.NONE);
    return kind.outputCodec().encode(out.get(0));
  }

  // ---------------------------------------------------------------- endings

  private void accept(TaskEntry t, WorkResult winner, String method) {
    Instant now = clock.instant();
    TaskResult result =
        new TaskResult(
            t.id, t.spec.kind(), winner.output(), winner.worker(), winner.lease().attempt(), now);
    t.credit = engine.credit(t, winner.worker());
    finish(t, TaskState.COMPLETED, winner.worker(), null, now, winner.output());
    complete(t, () -> t.result.complete(result));
    if (events.active()) {
      events.publish(new PoolEvent.TaskVerified(now, t.id, winner.worker(), method));
      events.publish(new PoolEvent.TaskCompleted(now, result));
    }
    metrics.completed(1);
    TaskEntry parent = t.parent;
    if (parent != null) {
      chunkDone(parent, t, winner);
    }
  }

  private void chunkDone(TaskEntry parent, TaskEntry chunk, WorkResult winner) {
    if (parent.terminal || parent.chunkOutputs == null || parent.chunks == null) {
      return;
    }
    parent.chunkOutputs[chunk.chunkIndex] = winner.output();
    if (++parent.chunksDone < parent.chunks.length) {
      return;
    }
    Bytes merged;
    try {
      merged = merge(parent.kind, parent.spec.payload(), parent.chunkOutputs);
    } catch (RuntimeException e) {
      fail(parent, ErrorCode.INTERNAL, "merging the chunks' outputs failed: " + e);
      return;
    }
    Instant now = clock.instant();
    TaskResult result =
        new TaskResult(parent.id, parent.spec.kind(), merged, winner.worker(), 1, now);
    finish(parent, TaskState.COMPLETED, winner.worker(), null, now, merged);
    complete(parent, () -> parent.result.complete(result));
    if (events.active()) {
      events.publish(new PoolEvent.TaskVerified(now, parent.id, winner.worker(), "split-merge"));
      events.publish(new PoolEvent.TaskCompleted(now, result));
    }
    metrics.completed(1);
  }

  @SuppressWarnings("unchecked")
  private static <I, O> Bytes merge(TaskKind<I, O> kind, Bytes payload, Bytes[] outputs) {
    I input = kind.inputCodec().decode(payload);
    List<O> parts = new ArrayList<>(outputs.length);
    for (Bytes b : outputs) {
      parts.add(kind.outputCodec().decode(b));
    }
    TaskKind.Splitter<I, O> splitter = kind.splitter().orElseThrow();
    return kind.outputCodec().encode(splitter.merge(input, parts));
  }

  private void fail(TaskEntry t, ErrorCode code, String message) {
    if (t.terminal) {
      return;
    }
    TaskStatus.Failure failure = new TaskStatus.Failure(code, message);
    Instant now = clock.instant();
    TaskState state = code == ErrorCode.CANCELLED ? TaskState.CANCELLED : TaskState.FAILED;
    finish(t, state, t.lastWorker, failure, now, null);
    PoolException error = failure.toException();
    complete(t, () -> t.result.completeExceptionally(error));
    if (events.active()) {
      events.publish(new PoolEvent.TaskFailed(now, t.id, failure));
    }
    metrics.failed(1);
    TaskEntry parent = t.parent;
    if (parent != null && !parent.terminal) {
      fail(parent, code, "chunk " + t.chunkIndex + " of the split task: " + message);
    }
    TaskEntry[] chunks = t.chunks;
    if (chunks != null) {
      for (TaskEntry c : chunks) {
        fail(c, ErrorCode.CANCELLED, "its split parent ended: " + message);
      }
    }
  }

  private void finish(
      TaskEntry t,
      TaskState state,
      @Nullable WorkerId worker,
      TaskStatus.@Nullable Failure failure,
      Instant now,
      @Nullable Bytes output) {
    t.terminal = true;
    withdraw(t);
    t.snapshot = new TaskEntry.Snapshot(state, t.attempts, now, worker, failure);
    engine.finished(t, output);
  }

  private void attemptFailed(TaskEntry t, WorkerId worker, String reason, ErrorCode code) {
    t.failures++;
    // A lost or failed copy is replaced, not counted: the verifier's TaskView.dispatched counts
    // copies that are running or answered, so that it waits only for copies that can still answer.
    t.dispatched = Math.max(0, t.dispatched - 1);
    t.avoid(worker);
    if (t.terminal) {
      return;
    }
    if (t.failures >= t.spec.maxAttempts()) {
      fail(
          t,
          code,
          "gave up after "
              + t.failures
              + " failed attempt(s) (maxAttempts "
              + t.spec.maxAttempts()
              + "); last: "
              + reason);
      return;
    }
    t.needed++;
    if (t.running.isEmpty()) {
      publish(t, TaskState.QUEUED, null);
    }
    requeue(t);
  }

  private void lose(WorkerSlot w, String reason) {
    if (w.gone) {
      return;
    }
    w.gone = true;
    if (workers.get(w.id()) == w) {
      workers.remove(w.id());
    }
    for (Lane lane : w.lanes) {
      lane.allocator.removed(w);
      lane.workers--;
    }
    w.lanes.clear();
    List<Lease> held = w.leases.values();
    w.leases.clear();
    for (Lease l : held) {
      TaskEntry t = l.task();
      t.running.remove(l);
      if (!t.terminal) {
        attemptFailed(
            t, w.id(), "worker " + w.id() + " was lost (" + reason + ")", ErrorCode.UNAVAILABLE);
      }
    }
    freeIndices.add(w.index);
    workersChanged = true;
    if (events.active()) {
      events.publish(new PoolEvent.WorkerLeft(clock.instant(), w.id(), reason));
    }
  }

  /** Publishes the list of workers once per loop, however many joined or left in it. */
  private void refreshWorkers() {
    workersChanged = false;
    List<WorkerInfo> list = new ArrayList<>(workers.size());
    for (WorkerSlot w : workers.values()) {
      list.add(w.info);
    }
    workerSnapshot = List.copyOf(list);
  }

  // ---------------------------------------------------------------- timers

  private void tick(long now) {
    List<WorkerSlot> silent = null;
    List<WorkerSlot> lost = null;
    for (int i = broken.size() - 1; i >= 0; i--) {
      WorkerSlot w = broken.get(i);
      if (w.gone) {
        broken.remove(i); // replaced by its new connection, or lost otherwise
      } else if (now - w.brokenAtMillis >= graceMillis) {
        broken.remove(i);
        (lost == null ? lost = new ArrayList<>() : lost).add(w);
      }
    }
    boolean scan = now >= nextScanMillis;
    Reputation reputation = config.reputation();
    // read before looking, so that a quarantine during the look shows as a change at the next tick
    long version = reputation == null ? 0 : reputation.quarantineVersion();
    boolean askReputation = reputation != null && (version < 0 || version != seenQuarantineVersion);
    if (scan || askReputation) {
      long held = 0;
      long window = 0;
      long earliestSeen = Long.MAX_VALUE;
      for (WorkerSlot w : workers.values()) {
        if (w.brokenAtMillis >= 0 && now - w.brokenAtMillis >= graceMillis) {
          // past its reconnect grace: lost above
        } else if (now - w.lastSeenMillis > leaseMillis) {
          (silent == null ? silent = new ArrayList<>() : silent).add(w);
        } else if (askReputation && reputation.quarantined(w.id())) {
          (silent == null ? silent = new ArrayList<>() : silent).add(w);
        } else {
          earliestSeen = Math.min(earliestSeen, w.lastSeenMillis);
        }
        held += w.leases.size();
        window += w.leases.size() + w.freeCredit;
      }
      utilization = window == 0 ? 0 : (double) held / window;
      seenQuarantineVersion = version;
      if (scan) {
        long firstExpiry =
            earliestSeen == Long.MAX_VALUE ? Long.MAX_VALUE : earliestSeen + leaseMillis + 1;
        nextScanMillis = Math.min(firstExpiry, now + 1_000);
      }
    }
    if (lost != null) {
      for (WorkerSlot w : lost) {
        lose(
            w,
            "its connection broke ("
                + w.brokenReason
                + ") and it did not reconnect within the reconnect grace of "
                + config.reconnectGrace());
      }
    }
    if (silent != null) {
      for (WorkerSlot w : silent) {
        boolean quarantined = now - w.lastSeenMillis <= leaseMillis;
        cutOff(
            w,
            quarantined,
            quarantined
                ? "quarantined by reputation"
                : "lease expired: silent for " + (now - w.lastSeenMillis) + " ms");
      }
    }
    if (!restartHeld.isEmpty() && now >= heldUntilMillis) {
      releaseHeld(now);
    }
    if (durable) {
      persistLongLeases(previousTickMillis, lastTickMillis);
      previousTickMillis = lastTickMillis;
      lastTickMillis = now;
    }
    Instant instant = Instant.ofEpochMilli(now);
    TaskEntry t;
    while ((t = deadlines.peek()) != null && !t.deadlineAt.isAfter(instant)) {
      deadlines.poll();
      if (!t.terminal) {
        fail(t, ErrorCode.DEADLINE_EXCEEDED, "its deadline of " + t.spec.deadline() + " passed");
      }
    }
    if (!stranded.isEmpty()) {
      checkStranded(now);
    }
  }

  // ---------------------------------------------------------------- stranded copies

  /**
   * Whether every connected worker of the lane is ruled out for the task's next copy (it answered,
   * runs a copy, shares an owner with one that did, or was found wrong), so that waiting for credit
   * cannot help: in a pool smaller than what the verification asks for, the copy never comes.
   */
  private boolean noEligibleWorker(TaskEntry t, Lane lane) {
    for (WorkerSlot w : workers.values()) {
      if (!w.gone && w.lanes.contains(lane) && !excluded(t, w)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Ends tasks stranded for a lease duration with nothing running: a worker may join meanwhile (a
   * reconnect, a pool still starting), after that the task ends rather than waits forever. It goes
   * to a trusted recompute once when the pool has a trusted backend and the task has a result,
   * otherwise it fails, saying why.
   */
  private void checkStranded(long now) {
    for (int i = stranded.size() - 1; i >= 0; i--) {
      TaskEntry t = stranded.get(i);
      Lane lane = t.lane;
      if (t.terminal || !t.queued || lane == null || !noEligibleWorker(t, lane)) {
        t.strandedSince = -1;
        stranded.remove(i);
        if (lane != null && t.queued) {
          lane.dirty = true;
        }
        continue;
      }
      if (now - t.strandedSince < leaseMillis || !t.running.isEmpty() || t.recomputing) {
        continue;
      }
      t.strandedSince = -1;
      stranded.remove(i);
      strand(t, lane);
    }
  }

  private void strand(TaskEntry t, Lane lane) {
    String reason =
        "verification needs another copy on a distinct worker and owner, but none of the "
            + lane.workers
            + " connected worker(s) for kind '"
            + lane.key.kind()
            + "' may take it (each answered, runs a copy, or was found wrong) and none joined"
            + " within "
            + config.leaseDuration();
    boolean answered = false;
    if (t.results != null) {
      for (WorkResult r : t.results) {
        answered |= r.error() == null;
      }
    }
    if (config.trustedBackend() != null && answered && !t.strandRecomputed) {
      t.strandRecomputed = true;
      lane.queue.remove(t);
      int p = t.spec.priority();
      queuedByPriority.lazySet(p, queuedByPriority.get(p) - 1);
      t.needed = 0;
      recompute(t, reason);
    } else {
      fail(t, ErrorCode.VERIFICATION_FAILED, reason);
    }
  }

  // ---------------------------------------------------------------- helpers

  private void publish(TaskEntry t, TaskState state, @Nullable WorkerId worker) {
    TaskEntry.Snapshot s = t.snapshot;
    if (s.state() == state && s.attempts() == t.attempts && s.worker() == worker) {
      return;
    }
    t.snapshot = new TaskEntry.Snapshot(state, t.attempts, clock.instant(), worker, null);
  }

  /** Queues the completion of a task's future, for the next {@link #flushCompletions}. */
  private void complete(TaskEntry t, Runnable completion) {
    if (urgent(t)) {
      urgentCompletions.add(completion);
    } else {
      completions.add(completion);
    }
  }

  /**
   * Hands the queued completions out: an urgent task's to the urgent completion thread, where its
   * waiter does not queue behind bulk completions on the executor; the rest to the executor, in one
   * batch.
   */
  private void flushCompletions() {
    flushUrgentCompletions();
    if (completions.isEmpty()) {
      return;
    }
    List<Runnable> batch = completions;
    completions = new ArrayList<>();
    config.executor().execute(() -> runAll(batch));
  }

  private void flushUrgentCompletions() {
    if (!urgentCompletions.isEmpty()) {
      List<Runnable> urgentBatch = urgentCompletions;
      urgentCompletions = new ArrayList<>(1);
      try {
        urgentCompleter.execute(() -> runAll(urgentBatch));
      } catch (RejectedExecutionException e) {
        runAll(urgentBatch); // stopped after a stop() that gave up waiting for the loop
      }
    }
  }

  private static void runAll(List<Runnable> batch) {
    for (Runnable r : batch) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("a task future's callback failed", e);
      }
    }
  }

  /** Takes a task out of its lane's queue and revokes every copy that a worker runs. */
  private void withdraw(TaskEntry t) {
    if (t.queued && t.lane != null) {
      t.lane.queue.remove(t);
      int p = t.spec.priority();
      queuedByPriority.lazySet(p, queuedByPriority.get(p) - 1);
    }
    if (t.running.isEmpty()) {
      return;
    }
    for (Lease l : t.running) {
      WorkerSlot holder = l.worker();
      holder.leases.remove(t.id.value());
      changed(holder);
      if (!holder.gone) {
        try {
          holder.channel.revoke(List.of(t.id));
        } catch (RuntimeException e) {
          LOG.debug("revoke to {} failed", holder.id(), e);
        }
      }
    }
    t.running.clear();
  }
}
