package io.poolforge.transport.grpc.internal;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.transport.grpc.v1.AssignmentBatch;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.Registered;
import io.poolforge.transport.grpc.v1.ResultBatch;
import io.poolforge.transport.grpc.v1.Revoke;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's end of one worker's stream. It reads one message at a time ({@code request(1)}
 * after each is handled), so a fast worker cannot make the coordinator buffer without bound; it
 * sends only while the stream is ready and never more assignments than the worker granted.
 *
 * <p>It also remembers which leases it handed this worker (plus those the worker presented when it
 * registered): a result or checkpoint for any other lease (another worker's task, an unknown task
 * id, a result already answered) ends the stream with FAILED_PRECONDITION naming the lease. Results
 * for recently revoked tasks, which a worker may have sent before it saw the revoke, pass on to the
 * coordinator, which drops them as stale. The coordinator stays the authority on what is accepted;
 * this check refuses a misbehaving worker early and tells it why.
 *
 * <p>Once registered, the worker may open an {@link UrgentLane} bound to this stream by a random
 * key (sent in {@code Registered}) and by the same credentials: assignments of priority {@link
 * Priority#HIGH} and above then go on the lane, and results may come back on it. Results from
 * either path pass the same rate limit, size limit and lease check. This stream's messages reach
 * the session one call at a time, in order; a result batch from the lane is handed over at once,
 * even while one of this stream's messages is being handled, as {@code WorkerSession} allows for
 * urgent results. The session hears of the end only after every delivery in progress is done.
 *
 * <p>Thread-safe: inbound callbacks are serialized by gRPC; {@link WorkerChannel} methods may be
 * called from any thread and never block.
 */
public final class WorkerStream implements StreamObserver<WorkerMessage>, WorkerChannel {
  /** How many revoked task ids a stream remembers. */
  static final int MAX_REVOKED = 65_536;

  private final ServerCallStreamObserver<CoordinatorMessage> out;
  private final CoordinatorTransport.Acceptor acceptor;
  private final ServerConfig config;
  private final RateLimiter rateLimiter;
  private final Set<WorkerStream> live;
  private final Map<String, WorkerStream> byWorker;
  private final @Nullable String principal;
  private final Object lock = new Object();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** task id -> attempt, of every lease handed out on this stream and not yet answered. */
  private final Map<Long, Integer> leased = new HashMap<>();

  /** Recently revoked task ids, whose in-flight results are tolerated. */
  private final Set<Long> revoked =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
              return size() > MAX_REVOKED;
            }
          });

  private final ArrayDeque<CoordinatorMessage> pending = new ArrayDeque<>();
  private final AtomicBoolean sessionClosed = new AtomicBoolean();
  private long credit;
  private boolean closed;

  /**
   * Messages being handed to the session: at most one from this stream (the next is requested only
   * once it is handled), plus any urgent result batches from the lane, which do not wait for it.
   */
  private int delivering;

  /** The stream ended while delivering: tell the session when the last delivery is done. */
  private boolean closePending;

  private @Nullable PoolException pendingReason;
  private volatile @Nullable WorkerSession session;
  private volatile String name = "unregistered worker";
  private volatile @Nullable String workerId;
  private byte @Nullable [] laneKey;
  private @Nullable UrgentLane lane;

  /**
   * Wires the stream. Must be called inside the service method, before it returns.
   *
   * @param out the outbound observer
   * @param acceptor the coordinator's acceptor
   * @param config the settings
   * @param live the transport's set of live streams, which this one joins and leaves
   * @param byWorker registered streams by worker id, where an urgent lane finds its stream
   */
  public WorkerStream(
      ServerCallStreamObserver<CoordinatorMessage> out,
      CoordinatorTransport.Acceptor acceptor,
      ServerConfig config,
      Set<WorkerStream> live,
      Map<String, WorkerStream> byWorker) {
    this.byWorker = byWorker;
    this.principal = AuthInterceptor.PRINCIPAL.get();
    this.out = out;
    this.acceptor = acceptor;
    this.config = config;
    this.live = live;
    this.rateLimiter = new RateLimiter(config.clock(), config.messagesPerSecond(), config.burst());
    out.disableAutoRequest();
    if (config.compression() != null) {
      out.setCompression(config.compression());
    }
    out.setOnReadyHandler(this::drain);
    out.setOnCancelHandler(
        () ->
            terminated(
                new PoolException(
                    ErrorCode.UNAVAILABLE, name + ": the worker's stream was cancelled")));
    live.add(this);
    out.request(1);
  }

  /**
   * Creates the live-stream set a transport keeps.
   *
   * @return a concurrent set
   */
  public static Set<WorkerStream> newLiveSet() {
    return ConcurrentHashMap.newKeySet();
  }

  @Override
  public void onNext(WorkerMessage message) {
    try {
      checkRateAndSize(message, "");
    } catch (PoolException e) {
      fail(e);
      return;
    }
    WorkerMessage.BodyCase body = message.getBodyCase();
    synchronized (lock) {
      delivering++;
    }
    if (body == WorkerMessage.BodyCase.HEARTBEAT || body == WorkerMessage.BodyCase.GRANT) {
      // cheap and non-blocking: handled on the thread that read it (the transport's own)
      process(message);
      return;
    }
    // registration, results and checkpoints may take CPU (signature checks) or block (the
    // acceptor): they run on the work executor. The next message is requested only once this one
    // is handled, so the worker's messages still reach the session one at a time, in order.
    try {
      config.work().execute(() -> process(message));
    } catch (RuntimeException rejected) {
      process(message);
    }
  }

  private void process(WorkerMessage message) {
    try {
      handle(message);
      synchronized (lock) {
        if (!closed) {
          out.request(1);
        }
      }
    } catch (PoolException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new PoolException(ErrorCode.INTERNAL, name + ": " + e, e));
    } finally {
      delivered();
    }
  }

  /** One delivery to the session is done; the last one tells it of an end that came meanwhile. */
  private void delivered() {
    PoolException reason = null;
    boolean notify;
    synchronized (lock) {
      delivering--;
      notify = delivering == 0 && closePending;
      if (notify) {
        reason = pendingReason;
        closePending = false;
        pendingReason = null;
      }
    }
    if (notify) {
      notifyClosed(reason);
    }
  }

  private void handle(WorkerMessage message) {
    WorkerSession s = session;
    if (message.getBodyCase() == WorkerMessage.BodyCase.REGISTER) {
      if (s != null) {
        throw PoolException.invalidArgument("register", "was sent twice on one stream");
      }
      Registration registration = Wire.registration(message.getRegister());
      name = "worker " + registration.worker().id();
      synchronized (lock) {
        for (LeaseRef l : config.checkLeases() ? registration.heldLeases() : List.<LeaseRef>of()) {
          leased.put(l.task().value(), l.attempt());
        }
      }
      WorkerSession accepted = acceptor.accept(registration, this);
      if (accepted == null) {
        throw new PoolException(ErrorCode.INTERNAL, "the acceptor returned no session for " + name);
      }
      session = accepted;
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      String id = registration.worker().id().value();
      synchronized (lock) {
        if (closed) {
          return;
        }
        laneKey = key;
        workerId = id;
        pending.addFirst(
            CoordinatorMessage.newBuilder()
                .setRegistered(
                    Registered.newBuilder()
                        .setProtocol(Wire.PROTOCOL)
                        .setUrgentLaneKey(com.google.protobuf.ByteString.copyFrom(key)))
                .build());
        drainLocked();
      }
      byWorker.put(id, this);
      return;
    }
    if (s == null) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION,
          "register",
          "register: the first message on a stream must be register, got " + message.getBodyCase(),
          null);
    }
    switch (message.getBodyCase()) {
      case GRANT -> {
        int credits = message.getGrant().getCredits();
        if (credits <= 0) {
          throw PoolException.invalidArgument("credits", "is " + credits + ", must be > 0");
        }
        synchronized (lock) {
          if (credit + credits > config.maxCredit()) {
            throw PoolException.invalidArgument(
                "credits",
                "granting "
                    + credits
                    + " would hold "
                    + (credit + credits)
                    + " credits, the limit is "
                    + config.maxCredit());
          }
          credit += credits;
        }
        s.onCredit(credits);
      }
      case RESULTS -> results(message.getResults(), s);
      case HEARTBEAT -> s.onHeartbeat(Wire.heartbeat(message.getHeartbeat()));
      case CHECKPOINT -> {
        if (!message.getCheckpoint().hasLease()) {
          throw PoolException.invalidArgument("checkpoint.lease", "is missing");
        }
        LeaseRef lease = Wire.lease(message.getCheckpoint().getLease());
        synchronized (lock) {
          Integer attempt = leased.get(lease.task().value());
          if (config.checkLeases() && (attempt == null || attempt != lease.attempt())) {
            throw notLeased("checkpoint.lease", lease, attempt);
          }
        }
        s.onCheckpoint(
            lease,
            config.payloads().decode("checkpoint.state", message.getCheckpoint().getState()));
      }
      case LANE_HELLO ->
          throw PoolException.invalidArgument(
              "lane_hello", "belongs on the UrgentLane call, not on Connect");
      case BODY_NOT_SET ->
          throw PoolException.invalidArgument("message", "has no body (unknown message type?)");
      case REGISTER -> throw new IllegalStateException("handled above");
    }
  }

  private void results(ResultBatch batch, WorkerSession s) {
    List<io.poolforge.transport.grpc.v1.WorkResult> in = batch.getResultsList();
    if (in.isEmpty()) {
      throw PoolException.invalidArgument("results", "is an empty batch");
    }
    List<WorkResult> results = new ArrayList<>(in.size());
    for (io.poolforge.transport.grpc.v1.WorkResult r : in) {
      results.add(Wire.result(r, config.payloads()));
    }
    synchronized (lock) {
      for (int i = 0; config.checkLeases() && i < results.size(); i++) {
        LeaseRef l = results.get(i).lease();
        Integer attempt = leased.get(l.task().value());
        if (attempt == null || attempt != l.attempt()) {
          if (revoked.remove(l.task().value())) {
            continue; // answered before the worker saw the revoke: the coordinator drops it
          }
          // nothing of the batch is delivered: put back what this loop took
          for (int j = 0; j < i; j++) {
            LeaseRef back = results.get(j).lease();
            leased.put(back.task().value(), back.attempt());
          }
          throw notLeased("results[" + i + "].lease", l, attempt);
        }
        leased.remove(l.task().value());
      }
    }
    s.onResults(results);
  }

  /**
   * Binds an urgent lane to this stream if {@code key} is this stream's lane key and the lane's
   * caller authenticated as this stream's did. A lane already bound is replaced (ended).
   *
   * @return whether the lane is bound
   */
  boolean attach(UrgentLane candidate, @Nullable String lanePrincipal, byte[] key) {
    UrgentLane old;
    synchronized (lock) {
      byte[] mine = laneKey;
      if (closed
          || mine == null
          || !MessageDigest.isEqual(mine, key)
          || !java.util.Objects.equals(principal, lanePrincipal)) {
        return false;
      }
      old = lane;
      lane = candidate;
    }
    if (old != null) {
      old.end(new PoolException(ErrorCode.UNAVAILABLE, name + ": replaced by a newer urgent lane"));
    }
    return true;
  }

  /** The lane ended on its own: assignments go on this stream again. */
  void detach(UrgentLane gone) {
    synchronized (lock) {
      if (lane == gone) {
        lane = null;
      }
    }
  }

  /**
   * The checks every message from the worker passes first, on either stream: the rate limit, then
   * the size limit.
   *
   * @param where how the message came, for the error text ("" or " on its urgent lane")
   * @throws PoolException RESOURCE_EXHAUSTED naming the limit
   */
  private void checkRateAndSize(WorkerMessage message, String where) {
    if (!rateLimiter.tryAcquire()) {
      throw new PoolException(
          ErrorCode.RESOURCE_EXHAUSTED,
          "rate",
          name
              + " exceeded the rate limit of "
              + (long) config.messagesPerSecond()
              + " messages/s (burst "
              + config.burst()
              + ")",
          null);
    }
    int size = message.getSerializedSize();
    if (size > config.maxMessageBytes()) {
      throw new PoolException(
          ErrorCode.RESOURCE_EXHAUSTED,
          "message",
          "message: "
              + name
              + " sent "
              + size
              + " bytes"
              + where
              + ", the limit is "
              + config.maxMessageBytes(),
          null);
    }
  }

  /**
   * Handles a message that arrived on this worker's urgent lane: results only, with the same rate
   * limit, size limit and lease check as on this stream, delivered to the session between this
   * stream's own messages. A bad message ends the worker's connection (this stream and the lane)
   * with the status that names it, as on this stream.
   *
   * @param message the message
   */
  void onLaneMessage(WorkerMessage message) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      delivering++;
    }
    try {
      checkRateAndSize(message, " on its urgent lane");
      if (message.getBodyCase() != WorkerMessage.BodyCase.RESULTS) {
        throw PoolException.invalidArgument(
            "message",
            "an urgent lane carries only results after lane_hello, got " + message.getBodyCase());
      }
      WorkerSession s = session;
      if (s == null) {
        throw new PoolException(ErrorCode.FAILED_PRECONDITION, name + " is not registered");
      }
      // not after the main stream's message in hand: that may be a bulk batch whose signature
      // checks run on a low-priority thread, and an urgent result waiting for it would wait for a
      // core the bulk work does not get (WorkerSession allows this overlap)
      results(message.getResults(), s);
    } catch (PoolException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new PoolException(ErrorCode.INTERNAL, name + ": " + e, e));
    } finally {
      delivered();
    }
  }

  /**
   * The worker's name for messages.
   *
   * @return "worker id" once registered
   */
  String name() {
    return name;
  }

  private PoolException notLeased(String field, LeaseRef lease, @Nullable Integer attempt) {
    return new PoolException(
        ErrorCode.FAILED_PRECONDITION,
        field,
        field
            + ": "
            + lease.task()
            + " attempt "
            + lease.attempt()
            + (attempt == null
                ? " is not leased to "
                    + name
                    + " on this connection"
                    + " (another worker's task, an unknown task id, or a result already sent)"
                : " is not the lease " + name + " holds (attempt " + attempt + ")"),
        null);
  }

  @Override
  public void onError(Throwable t) {
    terminated(Errors.toPoolException(t, name + " stream"));
  }

  @Override
  public void onCompleted() {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        pending.clear();
        out.onCompleted();
      }
    }
    endLane(null);
    notifyClosed(null);
  }

  /** This stream ended: so does its urgent lane, and the lane key stops being valid. */
  private void endLane(@Nullable PoolException reason) {
    UrgentLane l;
    synchronized (lock) {
      l = lane;
      lane = null;
      laneKey = null;
    }
    String id = workerId;
    if (id != null) {
      byWorker.remove(id, this);
    }
    if (l != null) {
      l.end(reason);
    }
  }

  @Override
  public void assign(List<Assignment> assignments) {
    if (assignments == null) {
      throw PoolException.invalidArgument("assignments", "must not be null");
    }
    if (assignments.isEmpty()) {
      return;
    }
    UrgentLane urgentLane;
    synchronized (lock) {
      urgentLane = lane;
    }
    List<io.poolforge.transport.grpc.v1.Assignment> urgent = List.of();
    List<CoordinatorMessage> batches = new ArrayList<>();
    AssignmentBatch.Builder batch = AssignmentBatch.newBuilder();
    int batchBytes = 0;
    int limit = config.maxMessageBytes() - 1024;
    for (int i = 0; i < assignments.size(); i++) {
      io.poolforge.transport.grpc.v1.Assignment a =
          Wire.assignment(assignments.get(i), config.payloads());
      if (urgentLane != null && assignments.get(i).priority() >= Priority.HIGH) {
        if (a.getSerializedSize() + 8 > limit) {
          throw PoolException.invalidArgument(
              "assignments[" + i + "]",
              "encodes to "
                  + (a.getSerializedSize() + 8)
                  + " bytes, the message size limit is "
                  + config.maxMessageBytes());
        }
        if (urgent.isEmpty()) {
          urgent = new ArrayList<>(1);
        }
        urgent.add(a); // few and small: one message on the urgent lane
        continue;
      }
      int size = a.getSerializedSize() + 8;
      if (size > limit) {
        throw PoolException.invalidArgument(
            "assignments[" + i + "]",
            "encodes to " + size + " bytes, the message size limit is " + config.maxMessageBytes());
      }
      if (batch.getAssignmentsCount() > 0
          && (batchBytes + size > limit || batch.getAssignmentsCount() >= config.maxBatch())) {
        batches.add(CoordinatorMessage.newBuilder().setAssignments(batch).build());
        batch = AssignmentBatch.newBuilder();
        batchBytes = 0;
      }
      batch.addAssignments(a);
      batchBytes += size;
    }
    if (batch.getAssignmentsCount() > 0) {
      batches.add(CoordinatorMessage.newBuilder().setAssignments(batch).build());
    }
    synchronized (lock) {
      if (closed) {
        throw new PoolException(ErrorCode.UNAVAILABLE, name + ": the connection is closed");
      }
      if (assignments.size() > credit) {
        throw new PoolException(
            ErrorCode.RESOURCE_EXHAUSTED,
            "assignments",
            "assignments: "
                + assignments.size()
                + " exceed the remaining credit of "
                + credit
                + " granted by "
                + name,
            null);
      }
      credit -= assignments.size();
      if (config.checkLeases()) {
        for (Assignment a : assignments) {
          leased.put(a.lease().task().value(), a.lease().attempt());
        }
      }
      pending.addAll(batches);
      drainLocked();
      if (!urgent.isEmpty()) {
        if (lane == urgentLane && urgentLane != null) {
          urgentLane.send(
              CoordinatorMessage.newBuilder()
                  .setAssignments(AssignmentBatch.newBuilder().addAllAssignments(urgent))
                  .build());
        } else {
          // the lane ended meanwhile: this stream carries them
          pending.add(
              CoordinatorMessage.newBuilder()
                  .setAssignments(AssignmentBatch.newBuilder().addAllAssignments(urgent))
                  .build());
          drainLocked();
        }
      }
    }
  }

  @Override
  public void revoke(List<TaskId> tasks) {
    if (tasks == null) {
      throw PoolException.invalidArgument("tasks", "must not be null");
    }
    if (tasks.isEmpty()) {
      return;
    }
    Revoke.Builder r = Revoke.newBuilder();
    for (TaskId t : tasks) {
      r.addTaskIds(t.value());
    }
    synchronized (lock) {
      if (closed) {
        throw new PoolException(ErrorCode.UNAVAILABLE, name + ": the connection is closed");
      }
      for (TaskId t : tasks) {
        if (leased.remove(t.value()) != null) {
          revoked.add(t.value());
        }
      }
      pending.add(CoordinatorMessage.newBuilder().setRevoke(r).build());
      drainLocked();
    }
  }

  @Override
  public void close(PoolException reason) {
    fail(
        reason == null
            ? new PoolException(ErrorCode.UNAVAILABLE, "closed by the coordinator")
            : reason);
  }

  /**
   * The credit the worker granted that no assignment has used yet.
   *
   * @return the remaining credit
   */
  public long remainingCredit() {
    synchronized (lock) {
      return credit;
    }
  }

  /**
   * How many leases this stream handed out (or the worker presented) and no result answered yet.
   *
   * @return the count
   */
  public int leasesHeld() {
    synchronized (lock) {
      return leased.size();
    }
  }

  private void drain() {
    synchronized (lock) {
      drainLocked();
    }
  }

  private void drainLocked() {
    while (!closed && !pending.isEmpty() && out.isReady()) {
      CoordinatorMessage m = pending.poll();
      out.onNext(m);
    }
  }

  /**
   * Ends the stream with {@code reason} and tells the session.
   *
   * @param reason the status to send
   */
  public void fail(PoolException reason) {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        pending.clear();
        try {
          out.onError(Errors.toStatus(reason));
        } catch (IllegalStateException alreadyClosed) {
          // the call ended concurrently (cancelled by the peer); nothing left to send
        }
      }
    }
    endLane(reason);
    notifyClosed(reason);
  }

  private void terminated(PoolException reason) {
    synchronized (lock) {
      closed = true;
      pending.clear();
    }
    endLane(reason);
    notifyClosed(reason);
  }

  private void notifyClosed(@Nullable PoolException reason) {
    synchronized (lock) {
      if (delivering > 0) {
        // a message is still being handled: the session hears of the end after it
        if (!closePending) {
          closePending = true;
          pendingReason = reason;
        }
        return;
      }
    }
    live.remove(this);
    WorkerSession s = session;
    if (s != null && sessionClosed.compareAndSet(false, true)) {
      s.onClosed(reason);
    }
  }
}
