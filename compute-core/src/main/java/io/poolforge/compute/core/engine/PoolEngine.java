package io.poolforge.compute.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.ledger.RewardLedger;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.api.verify.AttestationVerifier;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator: {@link Pool} on top of the {@link Scheduler}. Submissions are validated and
 * admitted on the caller's thread (bounded by {@code maxQueuedTasks}), made durable by the {@link
 * GroupCommitter} when a store is configured, then handed to the scheduler. Internal: build one
 * with {@link io.poolforge.compute.core.Coordinator#builder()}.
 *
 * <p>Thread-safe. {@link #submit} never blocks on storage; {@link #cancel} waits briefly for the
 * scheduler; queries read snapshots or the store.
 *
 * @since 0.1.0
 */
public final class PoolEngine implements Pool {
  private static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);
  private static final int ID_BLOCK = 4096;

  private final EngineConfig config;
  private final Scheduler scheduler;
  private final EventHub events;
  private final @Nullable TaskStore store;
  private final @Nullable GroupCommitter committer;
  private final boolean inlineInsert;
  private final EngineMetrics metrics;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final LiveTasks live = new LiveTasks();
  private final FinishedTasks finished;

  /** Tasks one {@link #query} call examines beyond 4 per requested item, at most. */
  static final int SCAN_BUDGET = 10_000;

  private final ConcurrentHashMap<WorkerId, Bytes> boundKeys = new ConcurrentHashMap<>();
  private final Cache<WorkerId, WorkerInfo> workerInfos =
      Caffeine.newBuilder().maximumSize(100_000).build();
  private final Cache<Bytes, PublicKey> publicKeys =
      Caffeine.newBuilder().maximumSize(100_000).build();
  private final Cache<List<Bytes>, AttestationVerifier.Result> attestations =
      Caffeine.newBuilder().maximumSize(10_000).build();
  private final ConcurrentLinkedQueue<Runnable> credits = new ConcurrentLinkedQueue<>();
  private final AtomicInteger creditWip = new AtomicInteger();
  private final java.util.Set<CompletableFuture<Void>> pendingCredits =
      ConcurrentHashMap.newKeySet();
  private final Object idLock = new Object();
  // state changes of the current scheduler step, handed to the committer together (scheduler-owned)
  private List<TaskRecord> pendingUpdates = new ArrayList<>();
  private long nextId;
  private long idLimit;
  private volatile boolean closed;
  private final @Nullable LeaderCampaign campaign;
  // leadership changes, and submissions while a lease is configured, hold this lock
  private final Object leadership = new Object();
  private volatile boolean leading;

  /**
   * Starts a coordinator: recovers unfinished tasks from the store, starts the scheduler and the
   * group committer, and starts accepting workers on every transport.
   *
   * @param config the resolved configuration
   */
  public PoolEngine(EngineConfig config) {
    this(config, null);
  }

  /**
   * Starts a coordinator that schedules only while it holds {@code lease} (high availability): as a
   * standby it refuses submissions and assigns nothing; elected, it reloads every unfinished task
   * from the shared store and schedules, fencing each store write with the lease's token; deposed,
   * it stops assigning at once and forgets its tasks, which the next leader reloads.
   *
   * @param config the resolved configuration, with a task store that supports fenced writes
   * @param lease the scheduling lease shared with the other coordinators of the store, or null
   */
  public PoolEngine(EngineConfig config, @Nullable LeaderLease lease) {
    this.config = config;
    this.store = config.taskStore();
    this.finished = new FinishedTasks(config.finishedRetention(), store == null);
    this.events = new EventHub(config.executor(), config.eventBuffer());
    this.scheduler = new Scheduler(config, this, events);
    // an in-memory store without a leader lease takes inserts on the submitter's thread
    this.inlineInsert = store instanceof InMemoryTaskStore && lease == null;
    this.committer =
        store == null
            ? null
            : new GroupCommitter(
                store, config.clock(), config.storeRetention(), this::inserted, this::insertFailed);
    this.metrics =
        config.meterRegistry() == null
            ? EngineMetrics.NOOP
            : new MicrometerMetrics(config.meterRegistry(), scheduler);
    this.campaign =
        lease == null
            ? null
            : new LeaderCampaign(
                lease,
                new LeaderCampaign.Transitions() {
                  @Override
                  public void elected(long fencingToken) {
                    lead(fencingToken);
                  }

                  @Override
                  public void deposed() {
                    stepDown();
                  }
                });
    if (lease != null && store == null) {
      throw PoolException.invalidArgument(
          "leaderLease", "needs a taskStore shared by the coordinators");
    }
    if (store != null && lease == null) {
      recover(store);
    }
    scheduler.start(metrics);
    if (committer != null) {
      committer.start();
    }
    for (CoordinatorTransport transport : config.transports()) {
      transport.start(this::accept);
    }
    if (campaign != null) {
      campaign.start();
    }
  }

  // ---------------------------------------------------------------- leadership

  /** Whether the scheduler may assign work: always without a lease, else only while held. */
  boolean mayDispatch() {
    LeaderCampaign c = campaign;
    return c == null || (leading && c.held());
  }

  private void lead(long token) {
    GroupCommitter c = committer;
    TaskStore s = store;
    if (c == null || s == null || closed) {
      return;
    }
    c.fence(token);
    // Writes queued in an earlier tenure land (or are refused) before the store is read.
    c.flush(30_000);
    List<TaskEntry> recovered = null;
    while (recovered == null) {
      try {
        recovered = load(s);
      } catch (RuntimeException e) {
        // holding the lease without scheduling would shut every standby out: retry while held
        LOG.error("elected, but reloading the store failed; retrying in 1 s", e);
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        LeaderCampaign lc = campaign;
        if (closed || lc == null || !lc.held()) {
          return; // deposed meanwhile: the next election reloads again
        }
      }
    }
    List<TaskEntry> reloaded = recovered;
    synchronized (leadership) {
      for (TaskEntry e : reloaded) {
        live.put(e);
        pending.addAndGet(1 + (e.chunks == null ? 0 : e.chunks.length));
      }
      scheduler.post(() -> scheduler.admit(reloaded));
      leading = true;
    }
    LOG.info("leading with fencing token {}: {} unfinished tasks reloaded", token, reloaded.size());
  }

  private void stepDown() {
    PoolException lost =
        new PoolException(
            ErrorCode.UNAVAILABLE,
            "this coordinator lost the leader lease; the task is durable in the shared store and"
                + " continues under the next leader (query it there)");
    synchronized (leadership) {
      leading = false;
      List<TaskEntry> dropped = live.removeAll();
      scheduler.post(() -> scheduler.dropAll(dropped, lost));
    }
  }

  /** A live task was forgotten on losing the lease (scheduler thread). */
  void dropped() {
    pending.decrementAndGet();
  }

  private void recover(TaskStore taskStore) {
    List<Scheduler.Held> running = new ArrayList<>();
    List<TaskEntry> recovered = load(taskStore, running);
    for (TaskEntry e : recovered) {
      live.put(e);
      pending.addAndGet(1 + (e.chunks == null ? 0 : e.chunks.length));
    }
    if (!recovered.isEmpty()) {
      scheduler.post(() -> scheduler.recover(recovered, running));
      LOG.info(
          "recovered {} unfinished tasks from the store; {} running ones held {} for their workers",
          recovered.size(),
          running.size(),
          config.reconnectGrace());
    }
  }

  private List<TaskEntry> load(TaskStore taskStore) {
    return load(taskStore, null);
  }

  /**
   * Every unfinished task of the store as an entry. With {@code running} given, the tasks the store
   * shows RUNNING on a worker are also listed there, to be held for that worker's reconnect;
   * otherwise a task that was running runs again.
   */
  private List<TaskEntry> load(TaskStore taskStore, @Nullable List<Scheduler.Held> running) {
    List<TaskEntry> recovered = new ArrayList<>();
    taskStore.forEachUnfinished(
        record -> {
          TaskKind<?, ?> kind = config.kinds().get(record.spec().kind());
          if (kind == null) {
            LOG.warn(
                "task {} of unregistered kind '{}' left in the store",
                record.id(),
                record.spec().kind());
            return;
          }
          try {
            Planned plan = prepare(record.spec(), -1, kind);
            TaskEntry e = build(record.id(), record.spec(), kind, record.submittedAt(), plan);
            e.attempts = record.attempts();
            e.checkpoint = record.checkpoint();
            e.accepted.complete(e.id);
            recovered.add(e);
            if (running != null
                && record.state() == TaskState.RUNNING
                && record.worker() != null
                && record.attempts() > 0
                && e.chunks == null) {
              running.add(new Scheduler.Held(e, record.worker(), record.attempts()));
            }
          } catch (PoolException ex) {
            LOG.warn("task {} in the store is no longer valid: {}", record.id(), ex.getMessage());
          }
        });
    return recovered;
  }

  // ---------------------------------------------------------------- submit

  @Override
  public TaskHandle submit(TaskSpec spec) {
    if (spec == null) {
      throw PoolException.invalidArgument("spec", "must not be null");
    }
    return submitChecked(List.of(spec), false).get(0);
  }

  @Override
  public List<TaskHandle> submitAll(List<TaskSpec> specs) {
    if (specs == null) {
      throw PoolException.invalidArgument("specs", "must not be null");
    }
    if (specs.size() > Page.MAX_LIMIT) {
      throw PoolException.invalidArgument(
          "specs", "has " + specs.size() + " tasks, the limit is " + Page.MAX_LIMIT + " per call");
    }
    if (specs.isEmpty()) {
      return List.of();
    }
    return submitChecked(specs, true);
  }

  private List<TaskHandle> submitChecked(List<TaskSpec> specs, boolean indexed) {
    ensureOpen();
    int n = specs.size();
    List<TaskSpec> checked = new ArrayList<>(n);
    List<TaskKind<?, ?>> kinds = new ArrayList<>(n);
    List<Planned> prepared = new ArrayList<>(n);
    long slots = 0;
    for (int i = 0; i < n; i++) {
      TaskSpec spec = specs.get(i);
      if (spec == null) {
        throw PoolException.invalidArgument(
            indexed ? "specs[" + i + "]" : "spec", "must not be null");
      }
      TaskKind<?, ?> kind = config.kinds().get(spec.kind());
      if (kind == null) {
        throw PoolException.invalidArgument(
            indexed ? "specs[" + i + "].kind" : "kind",
            "'"
                + spec.kind()
                + "' is not registered with this pool (registered: "
                + config.kinds().keySet().stream().sorted().toList()
                + ")");
      }
      Planned plan = prepare(spec, indexed ? i : -1, kind);
      checked.add(spec);
      kinds.add(kind);
      prepared.add(plan);
      slots += 1 + plan.chunks().size();
    }
    if (campaign != null) {
      synchronized (leadership) {
        if (!leading) {
          throw standby();
        }
        return admitChecked(checked, kinds, prepared, slots);
      }
    }
    return admitChecked(checked, kinds, prepared, slots);
  }

  private static PoolException standby() {
    return new PoolException(
        ErrorCode.UNAVAILABLE,
        "this coordinator is a standby: another one holds the leader lease of the shared store;"
            + " submit to the leader, or retry here after a takeover");
  }

  private List<TaskHandle> admitChecked(
      List<TaskSpec> checked, List<TaskKind<?, ?>> kinds, List<Planned> prepared, long slots) {
    int n = checked.size();
    reserve(slots);
    List<TaskHandle> handles = new ArrayList<>(n);
    List<TaskEntry> entries = new ArrayList<>(n);
    Instant now = config.clock().instant();
    try {
      for (int i = 0; i < n; i++) {
        TaskEntry e =
            build(new TaskId(nextId()), checked.get(i), kinds.get(i), now, prepared.get(i));
        entries.add(e);
        handles.add(e);
        live.put(e);
      }
    } catch (RuntimeException e) {
      for (TaskEntry t : entries) {
        live.remove(t.id.value());
      }
      pending.addAndGet(-slots);
      throw e;
    }
    if (committer != null && inlineInsert) {
      insertNow(entries);
    } else if (committer != null) {
      committer.insert(entries);
    } else {
      for (TaskEntry e : entries) {
        e.accepted.complete(e.id);
      }
      postAdmit(entries);
    }
    return handles;
  }

  /**
   * Writes new tasks to the in-memory store on the submitter's thread: its insert touches memory
   * only, so there is no durable write to share, and skipping the hand-over to the committer saves
   * every task a thread switch.
   */
  private void insertNow(List<TaskEntry> entries) {
    List<TaskRecord> records = new ArrayList<>(entries.size());
    for (TaskEntry e : entries) {
      records.add(TaskRecord.queued(e.id, e.spec, e.submittedAt));
    }
    try {
      store.insert(records);
    } catch (PoolException e) {
      insertFailed(entries, e);
      return;
    } catch (RuntimeException e) {
      insertFailed(
          entries, new PoolException(ErrorCode.UNAVAILABLE, "task store insert failed", e));
      return;
    }
    inserted(entries);
  }

  private void reserve(long slots) {
    long limit = config.maxQueuedTasks();
    while (true) {
      long now = pending.get();
      if (now + slots > limit) {
        throw new PoolException(
            ErrorCode.RESOURCE_EXHAUSTED,
            "maxQueuedTasks: "
                + now
                + " tasks are unfinished and "
                + slots
                + " more do not fit under the limit of "
                + limit
                + "; retry after some complete");
      }
      if (pending.compareAndSet(now, now + slots)) {
        return;
      }
    }
  }

  /** Validates a spec against this pool and its kind; works out its cost and chunks. */
  private Planned prepare(TaskSpec spec, int index, TaskKind<?, ?> kind) {
    if (spec.payload().size() > config.maxPayloadBytes()) {
      throw PoolException.invalidArgument(
          payloadField(index),
          "is " + spec.payload().size() + " bytes, the limit is " + config.maxPayloadBytes());
    }
    return plan(kind, spec, index);
  }

  /** The payload's field name in messages: "payload", or "specs[i].payload" in a submitAll. */
  private static String payloadField(int index) {
    return index < 0 ? "payload" : "specs[" + index + "].payload";
  }

  /**
   * What validation learned of a spec.
   *
   * @param cost the kind's cost units for the whole input
   * @param chunks the encoded chunk inputs when it is split, else empty
   * @param chunkCosts the chunks' cost units
   */
  private record Planned(long cost, List<Bytes> chunks, long[] chunkCosts) {}

  private <I, O> Planned plan(TaskKind<I, O> kind, TaskSpec spec, int index) {
    I input;
    long cost;
    try {
      input = kind.inputCodec().decode(spec.payload());
      kind.validate(input);
      cost = kind.costUnits(input);
    } catch (PoolException e) {
      if (e.code() == ErrorCode.INVALID_ARGUMENT) {
        throw PoolException.invalidArgument(
            payloadField(index), "kind '" + kind.id() + "' rejects it: " + e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      throw PoolException.invalidArgument(
          payloadField(index), "kind '" + kind.id() + "' cannot decode it: " + e);
    }
    var splitter = kind.splitter();
    if (splitter.isPresent() && config.splitAboveCost() > 0 && cost > config.splitAboveCost()) {
      long wanted = (cost + config.splitAboveCost() - 1) / config.splitAboveCost();
      int max = (int) Math.min(config.maxChunks(), wanted);
      if (max > 1) {
        List<I> parts = splitter.get().split(input, max);
        if (parts.size() > 1 && parts.size() <= max) {
          List<Bytes> encoded = new ArrayList<>(parts.size());
          long[] costs = new long[parts.size()];
          for (int i = 0; i < parts.size(); i++) {
            encoded.add(kind.inputCodec().encode(parts.get(i)));
            costs[i] = kind.costUnits(parts.get(i));
          }
          return new Planned(cost, encoded, costs);
        }
      }
    }
    return new Planned(cost, List.of(), new long[0]);
  }

  private TaskEntry build(TaskId id, TaskSpec spec, TaskKind<?, ?> kind, Instant now, Planned p) {
    VerificationSpec verification =
        spec.verification() == null ? config.defaultVerification() : spec.verification();
    TaskEntry e = new TaskEntry(id, spec, kind, verification, p.cost(), now, null, 0);
    int n = p.chunks().size();
    if (n > 0) {
      e.chunks = new TaskEntry[n];
      e.chunkOutputs = new Bytes[n];
      for (int i = 0; i < n; i++) {
        TaskSpec chunkSpec =
            new TaskSpec(
                spec.kind(),
                p.chunks().get(i),
                spec.priority(),
                spec.submitter(),
                spec.requirements(),
                spec.deadline(),
                spec.verification(),
                spec.maxAttempts(),
                spec.labels());
        e.chunks[i] =
            new TaskEntry(
                new TaskId(nextId()), chunkSpec, kind, verification, p.chunkCosts()[i], now, e, i);
      }
    }
    return e;
  }

  private long nextId() {
    if (store == null) {
      synchronized (idLock) {
        return ++nextId;
      }
    }
    synchronized (idLock) {
      if (nextId == 0 || nextId >= idLimit) {
        nextId = store.reserveIds(ID_BLOCK);
        idLimit = nextId + ID_BLOCK;
      }
      return nextId++;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "the pool is closed");
    }
  }

  private void inserted(List<TaskEntry> entries) {
    if (campaign != null) {
      synchronized (leadership) {
        // Entries forgotten on losing the lease meanwhile are durable but owned by the next
        // leader, which reloads them; their result futures have already failed.
        List<TaskEntry> still = new ArrayList<>(entries.size());
        for (TaskEntry e : entries) {
          e.accepted.complete(e.id);
          if (leading && live.get(e.id.value()) == e) {
            still.add(e);
          }
        }
        postAdmit(still);
      }
      return;
    }
    for (TaskEntry e : entries) {
      e.accepted.complete(e.id);
    }
    postAdmit(entries);
  }

  /** Hands accepted tasks to the scheduler, through its urgent inbox if one of them is urgent. */
  private void postAdmit(List<TaskEntry> entries) {
    for (TaskEntry e : entries) {
      if (e.spec.priority() >= Priority.HIGH) {
        scheduler.postUrgent(() -> scheduler.admit(entries));
        return;
      }
    }
    scheduler.post(() -> scheduler.admit(entries));
  }

  /** The scheduler, for tests in this package. */
  Scheduler scheduler() {
    return scheduler;
  }

  /** Whether a live task of this id is urgent (priority HIGH or more). Any thread. */
  boolean isUrgent(long id) {
    TaskEntry t = live.get(id);
    return t != null && t.spec.priority() >= Priority.HIGH;
  }

  private void insertFailed(List<TaskEntry> entries, PoolException error) {
    if (campaign != null) {
      synchronized (leadership) {
        insertFailedLocked(entries, error);
      }
    } else {
      insertFailedLocked(entries, error);
    }
  }

  private void insertFailedLocked(List<TaskEntry> entries, PoolException error) {
    long slots = 0;
    for (TaskEntry e : entries) {
      if (!live.remove(e)) {
        // forgotten on losing the lease: its pending slots were released then
        e.accepted.completeExceptionally(error);
        e.result.completeExceptionally(error);
        continue;
      }
      slots += 1 + (e.chunks == null ? 0 : e.chunks.length);
      e.accepted.completeExceptionally(error);
      e.result.completeExceptionally(error);
    }
    pending.addAndGet(-slots);
  }

  // ---------------------------------------------------------------- scheduler callbacks

  Collection<TaskEntry> liveEntries() {
    return live.values();
  }

  /** A task reached a terminal state (scheduler thread). */
  void finished(TaskEntry t, @Nullable Bytes output) {
    pending.decrementAndGet();
    if (t.parent != null) {
      return;
    }
    live.remove(t);
    finished.add(t.status());
    persist(t, output);
  }

  /** Writes a task's current state to the store, if there is one (scheduler thread). */
  void persist(TaskEntry t, @Nullable Bytes output) {
    if (committer == null || t.parent != null) {
      return;
    }
    TaskEntry.Snapshot s = t.snapshot;
    TaskRecord record =
        new TaskRecord(
            t.id,
            t.spec,
            s.state(),
            t.attempts,
            t.submittedAt,
            s.updatedAt(),
            s.worker(),
            output,
            s.failure(),
            t.checkpoint);
    CompletableFuture<Void> credit = t.credit;
    if (credit != null && s.state() == TaskState.COMPLETED) {
      // The credit becomes durable before the completion does. A crash in between leaves the
      // task unfinished in the store, so it runs again after a restart and the ledger refuses
      // its second credit: every completed task is credited exactly once. A failed credit keeps
      // the task unfinished in the store for the same reason.
      credit.whenComplete(
          (done, error) -> {
            if (error == null) {
              committer.update(record);
            }
          });
    } else {
      pendingUpdates.add(record);
    }
  }

  /**
   * Hands the state changes gathered in this scheduler step to the committer (scheduler thread).
   */
  void flushUpdates() {
    if (committer != null && !pendingUpdates.isEmpty()) {
      committer.updateAll(pendingUpdates);
      pendingUpdates = new ArrayList<>();
    }
  }

  /**
   * Credits an accepted result's worker, off the scheduler thread, once per task.
   *
   * @return a future that completes once the ledger holds the credit (or refused it as a
   *     duplicate), exceptionally if the ledger failed; null when nothing is credited
   */
  @Nullable CompletableFuture<Void> credit(TaskEntry t, WorkerId worker) {
    RewardLedger ledger = config.ledger();
    if (ledger == null || t.cost <= 0) {
      return null;
    }
    WorkerInfo info = workerInfos.getIfPresent(worker);
    if (info == null) {
      LOG.warn("no payout address known for {}; task {} not credited", worker, t.id);
      return null;
    }
    BigInteger amount = BigInteger.valueOf(t.cost);
    TaskId id = t.id;
    String address = info.payoutAddress();
    CompletableFuture<Void> done = new CompletableFuture<>();
    pendingCredits.add(done);
    done.whenComplete((v, e) -> pendingCredits.remove(done));
    credits.add(
        () -> {
          try {
            ledger.credit(id, worker, address, amount);
            done.complete(null);
          } catch (RuntimeException e) {
            LOG.error("crediting {} for task {} failed", worker, id, e);
            done.completeExceptionally(e);
          }
        });
    if (creditWip.getAndIncrement() == 0) {
      config.executor().execute(this::drainCredits);
    }
    return done;
  }

  private void drainCredits() {
    int missed = 1;
    do {
      Runnable r;
      while ((r = credits.poll()) != null) {
        r.run();
      }
      missed = creditWip.addAndGet(-missed);
    } while (missed != 0);
  }

  void countStale(int n) {
    stale.addAndGet(n);
  }

  /** Results dropped because their lease was no longer held (late, replayed or foreign). */
  long staleResults() {
    return stale.get();
  }

  // ---------------------------------------------------------------- workers

  private WorkerSession accept(Registration registration, WorkerChannel channel) {
    if (closed) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "the pool is closed");
    }
    WorkerInfo info = registration.worker();
    PublicKey key = publicKey(info.publicKey());
    Bytes bound = boundKeys.putIfAbsent(info.id(), info.publicKey());
    if (bound != null && !bound.equals(info.publicKey())) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED,
          "worker.id '" + info.id() + "' is bound to another public key");
    }
    if (config.reputation() != null && config.reputation().quarantined(info.id())) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED, "worker '" + info.id() + "' is quarantined");
    }
    if (config.ledger() != null) {
      // a worker the ledger cannot pay would have its results accepted but never credited, and
      // the completions, stored only after their credit, would stay unfinished in the store
      config.ledger().checkPayoutAddress(info.payoutAddress());
    }
    boolean attested = attested(registration.attestation(), info.publicKey());
    WorkerInfo effective =
        new WorkerInfo(
            info.id(),
            info.owner(),
            info.payoutAddress(),
            info.publicKey(),
            info.capabilities().withAttested(attested));
    workerInfos.put(info.id(), effective);
    if (config.reputation() != null) {
      config.reputation().workerRegistered(effective); // attested workers may start more trusted
    }
    WorkerSlot slot =
        new WorkerSlot(effective, channel, config.reputation(), config.clock().millis());
    List<LeaseRef> held = registration.heldLeases();
    scheduler.post(() -> scheduler.join(slot, held));
    return new CoordinatorSession(scheduler, slot, key, config.maxPayloadBytes());
  }

  private PublicKey publicKey(Bytes encoded) {
    return publicKeys.get(
        encoded,
        b -> {
          try {
            return KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(b.toByteArray()));
          } catch (GeneralSecurityException | RuntimeException e) {
            throw PoolException.invalidArgument(
                "worker.publicKey", "is not an X.509-encoded Ed25519 public key");
          }
        });
  }

  private boolean attested(@Nullable Attestation attestation, Bytes publicKey) {
    if (attestation == null) {
      return false;
    }
    AttestationVerifier verifier = config.attestationVerifiers().get(attestation.format());
    if (verifier == null) {
      return false;
    }
    List<Bytes> key = List.of(publicKey, attestation.evidence());
    AttestationVerifier.Result cached = attestations.getIfPresent(key);
    Instant now = config.clock().instant();
    if (cached == null || !cached.expiresAt().isAfter(now)) {
      cached = verifier.verify(attestation, publicKey);
      attestations.put(key, cached);
    }
    return cached.valid() && cached.expiresAt().isAfter(now);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public boolean cancel(TaskId id) {
    if (id == null) {
      throw PoolException.invalidArgument("id", "must not be null");
    }
    if (campaign != null && !leading) {
      throw standby();
    }
    TaskEntry t = live.get(id.value());
    if (t == null) {
      if (finished.get(id.value()) != null || (store != null && store.get(id).isPresent())) {
        return false;
      }
      throw new PoolException(ErrorCode.NOT_FOUND, "task " + id + " is unknown");
    }
    if (scheduler.onLoop()) {
      return scheduler.cancel(t);
    }
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    scheduler.post(() -> answer.complete(scheduler.cancel(t)));
    return answer.join();
  }

  @Override
  public TaskStatus status(TaskId id) {
    if (id == null) {
      throw PoolException.invalidArgument("id", "must not be null");
    }
    TaskEntry t = live.get(id.value());
    if (t != null) {
      return t.status();
    }
    TaskStatus done = finished.get(id.value());
    if (done != null) {
      return done;
    }
    if (store != null) {
      var record = store.get(id);
      if (record.isPresent()) {
        return record.get().toStatus();
      }
    }
    throw new PoolException(ErrorCode.NOT_FOUND, "task " + id + " is unknown");
  }

  @Override
  public Page<TaskStatus> query(TaskState state, @Nullable String cursor, int limit) {
    if (state == null) {
      throw PoolException.invalidArgument("state", "must not be null");
    }
    Page.checkLimit(limit);
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        throw PoolException.invalidArgument(
            "cursor", "'" + cursor + "' is not a cursor of this pool");
      }
      if (after < 0) {
        throw PoolException.invalidArgument(
            "cursor", "'" + cursor + "' is not a cursor of this pool");
      }
    }
    if (state.isTerminal() && store != null) {
      Page<TaskRecord> page = store.list(state, cursor, limit);
      return new Page<>(
          page.items().stream().map(TaskRecord::toStatus).toList(), page.nextCursor());
    }
    // Bounded work per call: a state that few tasks are in (RUNNING among a million QUEUED) must
    // not make one call walk every live task. Past the budget the page ends early with a cursor.
    int budget = SCAN_BUDGET + 4 * limit;
    List<TaskStatus> items = new ArrayList<>(Math.min(limit, 64));
    long last = after;
    boolean more = false;
    if (state.isTerminal()) {
      for (TaskStatus s : finished.after(after)) {
        if (items.size() == limit || budget-- == 0) {
          more = true;
          break;
        }
        last = s.id().value();
        if (s.state() == state) {
          items.add(s);
        }
      }
    } else {
      for (TaskEntry t : live.after(after)) {
        if (items.size() == limit || budget-- == 0) {
          more = true;
          break;
        }
        last = t.id.value();
        if (t.snapshot.state() == state) {
          TaskStatus s = t.status();
          if (s.state() == state) {
            items.add(s);
          }
        }
      }
    }
    return new Page<>(items, more ? Long.toString(last) : null);
  }

  @Override
  public List<WorkerInfo> workers() {
    return scheduler.workers();
  }

  @Override
  public Flow.Publisher<PoolEvent> events() {
    return events;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (campaign != null) {
      campaign.stop();
    }
    for (CoordinatorTransport transport : config.transports()) {
      try {
        transport.close();
      } catch (RuntimeException e) {
        LOG.warn("closing a transport failed", e);
      }
    }
    if (committer != null) {
      // Completed tasks reach the store only after their credit: let those finish first.
      try {
        CompletableFuture.allOf(pendingCredits.toArray(CompletableFuture[]::new))
            .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
            .exceptionally(e -> null)
            .join();
      } catch (RuntimeException e) {
        LOG.warn("credits still pending at close", e);
      }
      committer.close();
    }
    if (campaign != null) {
      campaign.close(); // after the last writes: a standby takes over at once
    }
    scheduler.stop();
    metrics.close();
    events.close();
  }
}
