package io.poolforge.compute.core.worker;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.core.verify.ResultSigner;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: connects to a coordinator, declares what its backends can run, grants credit for as
 * many tasks as it is willing to hold, runs the batches it is assigned (up to {@code slots} at
 * once, highest priority first, while batches of urgent tasks run one at a time on a runner of
 * their own beside them) on the best backend for each kind, signs each batch of results with one
 * Ed25519 signature over their Merkle root (each result carries its own inclusion proof) and
 * streams them back, and sends heartbeats with its load. It withholds credit while its heap is
 * nearly full and drains gracefully on {@link #close()}.
 *
 * <pre>{@code
 * WorkerNode node = WorkerNode.builder()
 *     .id("gpu-7").owner("alice").payoutAddress("0xabc...")
 *     .transport(transport.worker())
 *     .kind(sha256Kind)
 *     .backend(cpuBackend)          // or omit: ServiceLoader discovery
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Thread priorities: the default batch runners run at {@link Thread#MIN_PRIORITY} and the urgent
 * runner at {@link Thread#MAX_PRIORITY}, so that where the JVM passes Java priorities to the OS an
 * urgent task, the heartbeats and the transport get a core ahead of bulk batches on a busy machine
 * (HotSpot on Linux does so with {@code -XX:ThreadPriorityPolicy=1}; raising a thread above normal
 * there also needs the {@code CAP_SYS_NICE} capability, and without it only the lowering applies).
 * Where the JVM ignores priorities, as HotSpot on Linux does by default, they change nothing.
 *
 * <p>Thread-safe. {@link #start()} may block while connecting; {@link #close()} blocks while
 * draining.
 *
 * @since 0.1.0
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  /** Results of cheap jobs are held back at most this long to share a signature. */
  private static final Duration DEFAULT_GROUPING = Duration.ofMillis(1);

  /** The most results one signature covers. */
  private static final int GROUP_RESULTS = 8192;

  private final WorkerInfo info;
  private final WorkerTransport transport;
  private final Map<String, TaskKind<?, ?>> kinds;
  private final Map<String, ComputeBackend> backendByKind;
  private final List<ComputeBackend> discovered;
  private final @Nullable Attestation attestation;
  private final int slots;
  private final int window;
  private final Duration heartbeatInterval;
  private final long groupNanos;
  private final double memoryHighWater;
  private final ResultSigner signer;
  private final ExecutorService runners;

  /**
   * Runs urgent jobs (priority {@link Priority#HIGH} and above), one batch at a time beside the
   * slots, so an urgent task neither waits for a bulk batch to finish nor runs on a bulk thread;
   * when it is busy, a free slot takes the next urgent job.
   */
  private final ExecutorService urgentRunner;

  /** The urgent runner is running or about to. */
  private final java.util.concurrent.atomic.AtomicBoolean urgentActive =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final ScheduledExecutorService timer;

  /** Jobs waiting for a slot: highest priority first, FIFO (by arrival) within a level. */
  private final PriorityBlockingQueue<Job> jobs = new PriorityBlockingQueue<>();

  private final AtomicLong jobSequence = new AtomicLong();
  private final Set<TaskId> revoked = ConcurrentHashMap.newKeySet();
  private final Map<TaskId, Boolean> held = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger withheld = new AtomicInteger();

  /** Credit of finished jobs not yet returned (see {@link #regrant}). */
  private final AtomicInteger coalesced = new AtomicInteger();

  private final AtomicLong completed = new AtomicLong();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile @Nullable WorkerConnection connection;
  private volatile boolean draining;
  private volatile boolean stopped;
  private volatile boolean aborted;

  private WorkerNode(Builder b, List<ComputeBackend> backends, List<ComputeBackend> discovered) {
    this.transport = b.transport;
    this.kinds = Map.copyOf(b.kinds);
    this.discovered = discovered;
    this.attestation = b.attestation;
    this.slots =
        b.slots == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : b.slots;
    this.window = b.window == null ? Math.max(64, slots * 256) : b.window;
    this.heartbeatInterval =
        b.heartbeatInterval == null ? Duration.ofSeconds(2) : b.heartbeatInterval;
    this.groupNanos = (b.resultGrouping == null ? DEFAULT_GROUPING : b.resultGrouping).toNanos();
    this.memoryHighWater = b.memoryHighWater == null ? 0.9 : b.memoryHighWater;
    Map<String, ComputeBackend> byKind = new HashMap<>();
    Set<String> backendIds = new LinkedHashSet<>();
    List<DeviceInfo> devices = new ArrayList<>();
    long memory = 0;
    for (ComputeBackend backend : backends) {
      backendIds.add(backend.id());
      for (DeviceInfo d : backend.devices()) {
        devices.add(d);
        memory = Math.max(memory, d.memoryBytes());
      }
      for (String k : backend.kinds()) {
        if (kinds.containsKey(k)) {
          byKind.putIfAbsent(k, backend);
        }
      }
    }
    if (byKind.isEmpty()) {
      throw PoolException.invalidArgument(
          "kinds",
          "none of the registered kinds "
              + kinds.keySet()
              + " is executed by the backends "
              + backendIds);
    }
    this.backendByKind = Map.copyOf(byKind);
    KeyPair keys = b.keyPair == null ? generateKeyPair() : b.keyPair;
    Capabilities caps =
        new Capabilities(
            byKind.keySet(),
            backendIds,
            devices.size() > Capabilities.MAX_ENTRIES
                ? devices.subList(0, Capabilities.MAX_ENTRIES)
                : devices,
            memory,
            slots,
            b.tags,
            false);
    this.info =
        new WorkerInfo(
            new WorkerId(b.id == null ? "worker-" + Long.toHexString(System.nanoTime()) : b.id),
            b.owner == null ? "default" : b.owner,
            b.payoutAddress == null ? "unpaid" : b.payoutAddress,
            Bytes.wrap(keys.getPublic().getEncoded()),
            caps);
    this.signer = ResultSigner.of(info.id(), keys.getPrivate());
    String name = "poolforge-worker-" + info.id();
    this.runners =
        b.executor != null
            ? b.executor
            : Executors.newFixedThreadPool(
                slots,
                Thread.ofPlatform()
                    .name(name + "-run-", 0)
                    .priority(Thread.MIN_PRIORITY)
                    .daemon()
                    .factory());
    this.urgentRunner =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform()
                .name(name + "-urgent")
                .priority(Thread.MAX_PRIORITY)
                .daemon()
                .factory());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(name + "-heartbeat").daemon().factory());
  }

  private static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of every JDK 15+", e);
    }
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What this worker declares to the coordinator.
   *
   * @return its id, owner, payout address, public key and capabilities
   */
  public WorkerInfo info() {
    return info;
  }

  /**
   * The worker's id.
   *
   * @return the id
   */
  public WorkerId id() {
    return info.id();
  }

  /**
   * Results sent so far.
   *
   * @return the count
   */
  public long completed() {
    return completed.get();
  }

  /**
   * Tasks received and waiting for a free slot (not those running). A snapshot; it may change at
   * once. Non-blocking.
   *
   * @return the count
   */
  public int queuedTasks() {
    int queued = 0;
    for (Job job : jobs) {
      queued += job.tasks().size();
    }
    return queued;
  }

  /**
   * Connects, registers and grants its initial credit. Blocks while connecting.
   *
   * @return this
   * @throws PoolException UNAVAILABLE if the coordinator cannot be reached, or its refusal
   */
  public WorkerNode start() {
    if (connection != null || stopped) {
      throw new IllegalStateException("worker " + info.id() + " was already started");
    }
    WorkerConnection c =
        transport.connect(new Registration(info, attestation, List.of()), new Listener());
    connection = c;
    c.grant(window);
    long period = Math.max(1, heartbeatInterval.toMillis());
    timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Stops taking work, finishes and returns what it holds, then disconnects. Blocks up to 30 s.
   * Idempotent.
   */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    draining = true;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((active.get() > 0 || urgentActive.get() || !jobs.isEmpty())
        && System.nanoTime() < until
        && !stopped) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    shutdown(true);
  }

  /**
   * Disconnects at once without returning the work it holds, as a crash would; the coordinator
   * reassigns those tasks when it notices. For tests and simulations.
   */
  public void abort() {
    shutdown(false);
  }

  /**
   * Stops sending heartbeats while staying connected, as a hung machine would; the coordinator
   * expires its leases. For tests and simulations.
   */
  public void freeze() {
    stopped = true;
    timer.shutdownNow();
  }

  private void shutdown(boolean clean) {
    aborted = !clean;
    stopped = true;
    draining = true;
    jobs.clear();
    timer.shutdownNow();
    WorkerConnection c = connection;
    if (c != null) {
      c.close();
    }
    runners.shutdownNow();
    urgentRunner.shutdownNow();
    for (ComputeBackend b : discovered) {
      try {
        b.close();
      } catch (RuntimeException e) {
        LOG.warn("closing backend {} failed", b.id(), e);
      }
    }
    ended.countDown();
  }

  // ---------------------------------------------------------------- work

  private final class Listener implements WorkerListener {
    @Override
    public void onAssignments(List<Assignment> assignments) {
      if (stopped) {
        return;
      }
      // one job per kind and priority, so an urgent task never waits inside a normal batch
      Map<JobKey, List<Assignment>> byKind = new LinkedHashMap<>();
      for (Assignment a : assignments) {
        held.put(a.lease().task(), Boolean.TRUE);
        TaskKind<?, ?> kind = kinds.get(a.kind());
        if (kind != null && kind.resumer().isPresent()) {
          enqueue(a.priority(), List.of(a)); // checkpointing kinds run one task per batch
        } else {
          byKind.computeIfAbsent(new JobKey(a.kind(), a.priority()), k -> new ArrayList<>()).add(a);
        }
      }
      for (Map.Entry<JobKey, List<Assignment>> e : byKind.entrySet()) {
        List<Assignment> batch = e.getValue();
        int chunk = Math.max(1, (batch.size() + slots - 1) / slots);
        for (int i = 0; i < batch.size(); i += chunk) {
          enqueue(
              e.getKey().priority(),
              List.copyOf(batch.subList(i, Math.min(batch.size(), i + chunk))));
        }
      }
      pump();
    }

    @Override
    public void onRevoked(List<TaskId> tasks) {
      for (TaskId t : tasks) {
        if (held.containsKey(t)) {
          revoked.add(t);
        }
      }
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      if (!stopped) {
        LOG.info(
            "worker {} disconnected: {}",
            info.id(),
            reason == null ? "closed" : reason.getMessage());
        shutdown(false);
      }
    }
  }

  private void enqueue(int priority, List<Assignment> tasks) {
    jobs.add(new Job(priority, jobSequence.getAndIncrement(), tasks));
  }

  private record JobKey(String kind, int priority) {}

  /** A batch waiting to run; orders by priority (highest first), then by arrival. */
  private record Job(int priority, long sequence, List<Assignment> tasks)
      implements Comparable<Job> {
    @Override
    public int compareTo(Job o) {
      return priority != o.priority
          ? Integer.compare(o.priority, priority)
          : Long.compare(sequence, o.sequence);
    }
  }

  private void pump() {
    pumpUrgent();
    while (!jobs.isEmpty() && !stopped) {
      int now = active.get();
      if (now >= slots) {
        return;
      }
      if (active.compareAndSet(now, now + 1)) {
        try {
          runners.execute(this::runJobs);
        } catch (RuntimeException e) {
          active.decrementAndGet();
          return;
        }
      }
    }
  }

  /**
   * Runs queued jobs until none is left. Results are signed and sent in groups: after a cheap,
   * non-urgent job, when another job is already waiting, its results are held back and signed
   * together with the next job's, so a stream of small jobs costs one Ed25519 signature per group
   * instead of one per job. A group is sent at the latest after the builder's {@code
   * resultGrouping} (1 ms by default), at {@link #GROUP_RESULTS} results, after an urgent or slow
   * job, or when the queue runs dry.
   */
  private void runJobs() {
    Unsent unsent = new Unsent();
    try {
      Job job;
      while (!stopped && (job = jobs.poll()) != null) {
        if (job.priority() >= Priority.HIGH && urgentActive.compareAndSet(false, true)) {
          startUrgent(job); // the urgent runner is free: the job runs there, at its priority
          continue;
        }
        if (job.priority() >= Priority.HIGH && !unsent.results.isEmpty()) {
          // results held back to share a signature go first, on their own: the urgent job's
          // result is then signed alone, and a transport that gives urgent results their own lane
          // sends it without the bulk
          flush(unsent);
        }
        long started = System.nanoTime();
        run(job.tasks(), unsent);
        long now = System.nanoTime();
        boolean hold =
            now - started < groupNanos
                && now - unsent.since < groupNanos
                && job.priority() < Priority.HIGH
                && unsent.results.size() < GROUP_RESULTS
                && !jobs.isEmpty();
        if (!hold) {
          flush(unsent);
        }
      }
    } finally {
      flush(unsent);
      active.decrementAndGet();
    }
    if (!jobs.isEmpty()) {
      pump();
    }
  }

  /**
   * An urgent job at the head of the queue goes to the urgent runner when that is free, whether or
   * not a slot is: the runner's thread has the higher priority. The job is taken off the queue
   * here, so that a slot cannot take it meanwhile.
   */
  private void pumpUrgent() {
    Job head = jobs.peek();
    if (head == null
        || head.priority() < Priority.HIGH
        || stopped
        || !urgentActive.compareAndSet(false, true)) {
      return;
    }
    Job job = jobs.poll();
    if (job == null || job.priority() < Priority.HIGH) {
      if (job != null) {
        jobs.add(job); // a slot took the urgent one first; this one keeps its place (sequence)
      }
      urgentActive.set(false);
      return;
    }
    startUrgent(job);
  }

  /** Hands an urgent job to the urgent runner, which the caller has claimed. */
  private void startUrgent(Job job) {
    try {
      urgentRunner.execute(() -> runUrgentJobs(job));
    } catch (RuntimeException e) { // shut down meanwhile
      jobs.add(job);
      urgentActive.set(false);
    }
  }

  /**
   * Runs an urgent job, then the urgent jobs at the head of the queue, each flushed (signed and
   * sent) on its own, and leaves the rest to the slots.
   */
  private void runUrgentJobs(Job first) {
    Unsent unsent = new Unsent();
    try {
      if (stopped) {
        return;
      }
      run(first.tasks(), unsent);
      flush(unsent);
      while (!stopped) {
        Job head = jobs.peek();
        if (head == null || head.priority() < Priority.HIGH) {
          break;
        }
        Job job = jobs.poll();
        if (job == null) {
          break;
        }
        if (job.priority() < Priority.HIGH) {
          jobs.add(job); // a slot took the urgent one first; this one keeps its place (sequence)
          break;
        }
        run(job.tasks(), unsent);
        flush(unsent);
      }
    } finally {
      flush(unsent);
      urgentActive.set(false);
    }
    Job head = jobs.peek();
    if (head != null && head.priority() >= Priority.HIGH) {
      pump();
    }
  }

  /** Results computed but not yet sent, and the credit they will return. Runner-thread local. */
  private static final class Unsent {
    List<WorkResult> results = new ArrayList<>();
    int credits;
    long since;
  }

  private void run(List<Assignment> batch, Unsent unsent) {
    WorkerConnection c = connection;
    if (c == null) {
      return;
    }
    List<Assignment> live = new ArrayList<>(batch.size());
    for (Assignment a : batch) {
      if (revoked.remove(a.lease().task())) {
        held.remove(a.lease().task());
      } else {
        live.add(a);
      }
    }
    List<WorkResult> results = live.isEmpty() ? List.of() : execute(live, c);
    if (aborted) {
      return;
    }
    for (Assignment a : live) {
      held.remove(a.lease().task());
      revoked.remove(a.lease().task());
    }
    if (unsent.results.isEmpty() && unsent.credits == 0) {
      unsent.since = System.nanoTime();
    }
    unsent.results.addAll(results);
    unsent.credits += batch.size();
  }

  private void flush(Unsent unsent) {
    WorkerConnection c = connection;
    if (c == null || aborted || (unsent.results.isEmpty() && unsent.credits == 0)) {
      unsent.results = new ArrayList<>();
      unsent.credits = 0;
      return;
    }
    List<WorkResult> results = unsent.results;
    int credits = unsent.credits;
    unsent.results = new ArrayList<>();
    unsent.credits = 0;
    // decided before the coordinator hears of these results and can assign more
    boolean queued = !jobs.isEmpty();
    if (!results.isEmpty()) {
      c.sendResults(signer.signBatch(results));
      completed.addAndGet(results.size());
    }
    regrant(c, credits, queued);
  }

  /**
   * Returns credit for {@code credits} finished tasks; {@code queued}: more jobs were waiting when
   * they were flushed. A heartbeat passes 0.
   */
  private void regrant(WorkerConnection c, int credits, boolean queued) {
    if (draining || stopped) {
      return;
    }
    Runtime rt = Runtime.getRuntime();
    double used = (double) (rt.totalMemory() - rt.freeMemory()) / rt.maxMemory();
    if (used > memoryHighWater) {
      withheld.addAndGet(credits); // heap nearly full: shrink the window until memory frees up
      return;
    }
    if (credits == 0) {
      // a heartbeat: returns what the heap held back, not what a queue of jobs is collecting
      int owed = withheld.getAndSet(0);
      if (owed > 0) {
        c.grant(owed);
      }
      return;
    }
    int owed = coalesced.addAndGet(credits);
    if (owed < window / 4 && queued) {
      // While more work is queued here, credit goes back in pieces of at least a quarter of the
      // window: the coordinator sizes its batches by the credit it holds, so credit returned a few
      // tasks at a time would keep the batches (and the signatures per task) as small as the
      // first ones. A queued job ends in a flush, and the flush that finds the queue empty
      // returns the rest; only flushes decide, so what is sent depends on what ran, not on time.
      return;
    }
    owed = coalesced.getAndSet(0) + withheld.getAndSet(0);
    if (owed > 0) {
      c.grant(owed);
    }
  }

  private List<WorkResult> execute(List<Assignment> batch, WorkerConnection c) {
    String kindId = batch.get(0).kind();
    TaskKind<?, ?> kind = kinds.get(kindId);
    ComputeBackend backend = backendByKind.get(kindId);
    if (kind == null || backend == null) {
      return failAll(
          batch,
          "unknown",
          new TaskStatus.Failure(
              ErrorCode.INVALID_ARGUMENT,
              "worker " + info.id() + " does not run kind '" + kindId + "'"));
    }
    running.addAndGet(batch.size());
    try {
      return executeTyped(kind, backend, batch, c);
    } finally {
      running.addAndGet(-batch.size());
    }
  }

  private <I, O> List<WorkResult> executeTyped(
      TaskKind<I, O> kind, ComputeBackend backend, List<Assignment> batch, WorkerConnection c) {
    List<WorkResult> out = new ArrayList<>(batch.size());
    List<Assignment> ok = new ArrayList<>(batch.size());
    List<I> inputs = new ArrayList<>(batch.size());
    for (Assignment a : batch) {
      try {
        I input = kind.inputCodec().decode(a.payload());
        Bytes checkpoint = a.checkpoint();
        if (checkpoint != null && kind.resumer().isPresent()) {
          input = kind.resumer().get().resume(input, checkpoint);
        }
        kind.validate(input);
        inputs.add(input);
        ok.add(a);
      } catch (RuntimeException e) {
        out.add(unsigned(a, backend.id(), Bytes.EMPTY, failure(e), 0));
      }
    }
    if (ok.isEmpty()) {
      return out;
    }
    long started = System.nanoTime();
    List<O> outputs;
    try {
      outputs =
          backend.execute(
              kind, inputs, new TaskContext(ok, c, a -> revoked.contains(a.lease().task())));
      if (outputs.size() != inputs.size()) {
        throw new PoolException(
            ErrorCode.INTERNAL,
            "backend "
                + backend.id()
                + " returned "
                + outputs.size()
                + " outputs for "
                + inputs.size()
                + " inputs");
      }
    } catch (RuntimeException e) {
      TaskStatus.Failure f = failure(e);
      for (Assignment a : ok) {
        out.add(unsigned(a, backend.id(), Bytes.EMPTY, f, 0));
      }
      return out;
    }
    long perTask = Math.max(1, (System.nanoTime() - started) / ok.size());
    for (int i = 0; i < ok.size(); i++) {
      Assignment a = ok.get(i);
      if (revoked.contains(a.lease().task())) {
        continue;
      }
      out.add(unsigned(a, backend.id(), kind.outputCodec().encode(outputs.get(i)), null, perTask));
    }
    return out;
  }

  private List<WorkResult> failAll(List<Assignment> batch, String backend, TaskStatus.Failure f) {
    List<WorkResult> out = new ArrayList<>(batch.size());
    for (Assignment a : batch) {
      out.add(unsigned(a, backend, Bytes.EMPTY, f, 0));
    }
    return out;
  }

  private static TaskStatus.Failure failure(RuntimeException e) {
    if (e instanceof PoolException pe) {
      return new TaskStatus.Failure(pe.code(), String.valueOf(pe.getMessage()));
    }
    return new TaskStatus.Failure(ErrorCode.INTERNAL, e.toString());
  }

  /** An unsigned result; {@link #run} signs the whole batch at once before sending it. */
  private WorkResult unsigned(
      Assignment a, String backend, Bytes output, TaskStatus.@Nullable Failure error, long nanos) {
    return new WorkResult(a.lease(), info.id(), backend, output, error, nanos, Bytes.EMPTY);
  }

  private void heartbeat() {
    WorkerConnection c = connection;
    if (c == null || stopped) {
      return;
    }
    try {
      double cpu = 0;
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        double load = os.getProcessCpuLoad();
        cpu = load >= 0 && load <= 1 ? load : 0;
      }
      c.heartbeat(
          new Heartbeat(
              cpu, 0, info.capabilities().deviceMemoryBytes(), running.get(), queuedTasks()));
      regrant(c, 0, false);
    } catch (RuntimeException e) {
      LOG.debug("heartbeat of {} failed", info.id(), e);
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures a {@link WorkerNode}. Setters check their argument and may be called once, except
   * {@link #kind} and {@link #backend}, which add. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, TaskKind<?, ?>> kinds = new LinkedHashMap<>();
    private final List<ComputeBackend> backends = new ArrayList<>();
    private @Nullable String id;
    private @Nullable String owner;
    private @Nullable String payoutAddress;
    private @Nullable KeyPair keyPair;
    private @Nullable WorkerTransport transport;
    private @Nullable Integer slots;
    private @Nullable Integer window;
    private @Nullable Duration heartbeatInterval;
    private @Nullable Duration resultGrouping;
    private @Nullable Double memoryHighWater;
    private @Nullable ExecutorService executor;
    private @Nullable Attestation attestation;
    private Set<String> tags = Set.of();
    private boolean tagsSet;

    private Builder() {}

    private static void once(String field, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    private static <T> T notNull(String field, @Nullable T value) {
      if (value == null) {
        throw PoolException.invalidArgument(field, "must not be null");
      }
      return value;
    }

    /**
     * The worker's id (1-128 of [A-Za-z0-9._:@-]). Default: a generated one.
     *
     * @param value the id
     * @return this
     */
    public Builder id(String value) {
      once("id", id);
      id = new WorkerId(notNull("id", value)).value();
      return this;
    }

    /**
     * Who operates it; replicas of a task go to distinct owners. Default: "default".
     *
     * @param value the owner
     * @return this
     */
    public Builder owner(String value) {
      once("owner", owner);
      owner = notNull("owner", value);
      return this;
    }

    /**
     * Where its rewards are paid. Default: "unpaid".
     *
     * @param value a chain address
     * @return this
     */
    public Builder payoutAddress(String value) {
      once("payoutAddress", payoutAddress);
      payoutAddress = notNull("payoutAddress", value);
      return this;
    }

    /**
     * Its Ed25519 key pair. Default: a fresh one.
     *
     * @param value an Ed25519 key pair
     * @return this
     */
    public Builder keyPair(KeyPair value) {
      once("keyPair", keyPair);
      notNull("keyPair", value);
      if (!"Ed25519".equals(value.getPublic().getAlgorithm())
          && !"EdDSA".equals(value.getPublic().getAlgorithm())) {
        throw PoolException.invalidArgument(
            "keyPair", "is " + value.getPublic().getAlgorithm() + ", must be Ed25519");
      }
      keyPair = value;
      return this;
    }

    /**
     * The transport to the coordinator. Required.
     *
     * @param value the transport
     * @return this
     */
    public Builder transport(WorkerTransport value) {
      once("transport", transport);
      transport = notNull("transport", value);
      return this;
    }

    /**
     * Registers a kind this worker may run (needed for its codecs). At least one is required.
     *
     * @param kind the kind
     * @return this
     */
    public Builder kind(TaskKind<?, ?> kind) {
      notNull("kind", kind);
      if (kinds.putIfAbsent(kind.id(), kind) != null) {
        throw new IllegalStateException("kind '" + kind.id() + "' was already registered");
      }
      return this;
    }

    /**
     * Wires a backend explicitly; when any is wired, ServiceLoader discovery is skipped. Earlier
     * backends win for kinds several run. The node does not close wired backends.
     *
     * @param backend the backend
     * @return this
     */
    public Builder backend(ComputeBackend backend) {
      backends.add(notNull("backend", backend));
      return this;
    }

    /**
     * Batches run at once. Default: the number of cores. Beside them, one batch of urgent tasks
     * (priority {@code HIGH} and above) at a time runs on the urgent runner, so an urgent task
     * never waits for a bulk batch to finish; while that runner is busy, a free slot takes the next
     * one.
     *
     * @param value 1 to 4,096
     * @return this
     */
    public Builder slots(int value) {
      once("slots", slots);
      if (value < 1 || value > 4096) {
        throw PoolException.invalidArgument("slots", "is " + value + ", must be in [1, 4096]");
      }
      slots = value;
      return this;
    }

    /**
     * The most tasks it holds at once (its credit window). Default: 256 per slot.
     *
     * @param value 1 to 1,000,000
     * @return this
     */
    public Builder window(int value) {
      once("window", window);
      if (value < 1 || value > 1_000_000) {
        throw PoolException.invalidArgument("window", "is " + value + ", must be in [1, 1000000]");
      }
      window = value;
      return this;
    }

    /**
     * How often it sends a heartbeat; keep it well under the coordinator's lease. Default: 2 s.
     *
     * @param value positive
     * @return this
     */
    public Builder heartbeatInterval(Duration value) {
      once("heartbeatInterval", heartbeatInterval);
      notNull("heartbeatInterval", value);
      if (value.isNegative() || value.isZero()) {
        throw PoolException.invalidArgument(
            "heartbeatInterval", "is " + value + ", must be positive");
      }
      heartbeatInterval = value;
      return this;
    }

    /**
     * How long the results of quick jobs may be held back so that they share one Ed25519 signature
     * with the next job's results: a job that took less than this, while another waits, has its
     * results signed with the next one's, for at most this long. Urgent jobs (priority HIGH or
     * more) are never held. Zero signs and sends each job's results as soon as it ends, which costs
     * one signature per job and makes the grouping independent of timing. Default: 1 ms.
     *
     * @param value zero to 1 s
     * @return this
     */
    public Builder resultGrouping(Duration value) {
      once("resultGrouping", resultGrouping);
      notNull("resultGrouping", value);
      if (value.isNegative() || value.compareTo(Duration.ofSeconds(1)) > 0) {
        throw PoolException.invalidArgument(
            "resultGrouping", "is " + value + ", must be in [0, 1 s]");
      }
      resultGrouping = value;
      return this;
    }

    /**
     * The heap fraction above which it withholds credit. Default: 0.9.
     *
     * @param value in (0, 1]
     * @return this
     */
    public Builder memoryHighWater(double value) {
      once("memoryHighWater", memoryHighWater);
      if (!(value > 0 && value <= 1)) {
        throw PoolException.invalidArgument(
            "memoryHighWater", "is " + value + ", must be in (0, 1]");
      }
      memoryHighWater = value;
      return this;
    }

    /**
     * Runs batches; the node shuts it down on close. Default: a fixed pool of {@code slots} threads
     * of {@link Thread#MIN_PRIORITY}.
     *
     * @param value the executor
     * @return this
     */
    public Builder executor(ExecutorService value) {
      once("executor", executor);
      executor = notNull("executor", value);
      return this;
    }

    /**
     * Tags tasks may require.
     *
     * @param value the tags
     * @return this
     */
    public Builder tags(Set<String> value) {
      if (tagsSet) {
        throw new IllegalStateException("tags was already set");
      }
      tags = Set.copyOf(notNull("tags", value));
      tagsSet = true;
      return this;
    }

    /**
     * Attestation evidence presented at registration.
     *
     * @param value the evidence
     * @return this
     */
    public Builder attestation(Attestation value) {
      once("attestation", attestation);
      attestation = notNull("attestation", value);
      return this;
    }

    /**
     * Builds the node (not yet connected; call {@link WorkerNode#start()}).
     *
     * @return the node
     * @throws PoolException INVALID_ARGUMENT when the transport or kinds are missing, or no backend
     *     runs any registered kind
     */
    public WorkerNode build() {
      if (transport == null) {
        throw PoolException.invalidArgument("transport", "is required");
      }
      if (kinds.isEmpty()) {
        throw PoolException.invalidArgument("kinds", "register at least one task kind");
      }
      List<ComputeBackend> use = new ArrayList<>(backends);
      List<ComputeBackend> discovered = new ArrayList<>();
      if (use.isEmpty()) {
        List<ComputeBackendProvider> providers = new ArrayList<>();
        for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
          if (p.isAvailable()) {
            providers.add(p);
          }
        }
        providers.sort(Comparator.comparingInt(ComputeBackendProvider::priority).reversed());
        for (ComputeBackendProvider p : providers) {
          try {
            discovered.add(p.create());
          } catch (RuntimeException e) {
            LOG.warn("backend provider {} failed to create a backend", p.id(), e);
          }
        }
        use.addAll(discovered);
      }
      if (use.isEmpty()) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE,
            "no compute backend: wire one with backend(...) or put a ComputeBackendProvider on the"
                + " class path");
      }
      return new WorkerNode(this, use, discovered);
    }
  }
}
