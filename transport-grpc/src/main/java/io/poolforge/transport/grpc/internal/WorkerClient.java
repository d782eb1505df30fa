package io.poolforge.transport.grpc.internal;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.transport.grpc.v1.Checkpoint;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.Grant;
import io.poolforge.transport.grpc.v1.LaneHello;
import io.poolforge.transport.grpc.v1.ResultBatch;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A worker's connection: one bidirectional stream, re-opened with exponential backoff when it
 * breaks for a retryable reason. It reads one coordinator message at a time, sends only while the
 * stream is ready (buffering at most {@code maxQueuedMessages}), and tracks its credit and the
 * leases it holds, so that after a reconnect it registers those leases again and re-grants the
 * unused credit.
 *
 * <p>When the coordinator offers an urgent lane (a key in {@code Registered}) and an urgent stub
 * was given, it also opens the lane: a second stream, on its own connection, bound to the main one
 * by that key and the same credentials. The coordinator sends assignments of priority {@link
 * Priority#HIGH} and above on it, and this connection sends their results back on it, so that they
 * pass the bulk traffic queued on the main stream. If the lane cannot be opened the main stream
 * carries everything, as before; if a bound lane breaks, the main stream is broken too and
 * re-established (the usual reconnect), since results written to the lane may have been lost and
 * the leases they answered must be presented again or given back.
 *
 * <p>Thread-safe; no method blocks except {@link #open()}.
 */
public final class WorkerClient implements WorkerConnection {
  private final WorkerLinkGrpc.WorkerLinkStub stub;
  private final WorkerLinkGrpc.@Nullable WorkerLinkStub urgentStub;
  private final Registration base;
  private final WorkerListener listener;
  private final ClientConfig config;
  private final PayloadCodec payloads;
  private final Runnable resetBackoff;
  private final Object lock = new Object();

  /**
   * Guards the lease bookkeeping ({@code held}, {@code urgent}, {@code credit}), apart from the
   * queues and streams that {@code lock} guards, so that the urgent lane's thread, which takes it
   * for each urgent assignment, does not wait for bulk work under {@code lock}. Taken last: alone,
   * or inside {@code lock} or {@code laneLock}, never the other way round.
   */
  private final Object leases = new Object();

  /**
   * Guards the urgent lane's state (its queue, whether it is bound) and its writes; {@code lane} is
   * written holding both this and {@code lock}, so either suffices to read it. An urgent result
   * goes out holding only this (and {@code leases}), so it does not wait for bulk work under {@code
   * lock}. Lock order: {@code lock}, then this, then {@code leases}.
   */
  private final Object laneLock = new Object();

  private final ArrayDeque<WorkerMessage> pending = new ArrayDeque<>();
  private final Map<TaskId, LeaseRef> held = new LinkedHashMap<>(); // guarded by leases

  /** Held tasks of priority {@link Priority#HIGH} or above: their results jump the queue. */
  private final Set<TaskId> urgent = new HashSet<>(); // guarded by leases

  private long credit; // guarded by leases
  private volatile boolean closed;
  private volatile boolean finished;
  private @Nullable Stream stream;
  private @Nullable Lane lane;
  private long brokenSinceNanos;
  private long backoffMillis;

  /** A clean close flushed the main stream and half-closed it (guarded by lock). */
  private boolean halfClosed;

  /**
   * Requests to drain the main stream's queue; the caller that raises it from zero drains, and
   * drains again for requests that came meanwhile (see {@link #drain()}).
   */
  private final AtomicInteger drainRequests = new AtomicInteger();

  /**
   * Creates a connection; {@link #open()} connects it.
   *
   * @param stub the stub of the main stream
   * @param urgentStub the stub for the urgent lane (on its own channel), or null for no lane
   * @param registration what to register
   * @param listener the worker's listener
   * @param config the settings
   * @param payloads the payload codec
   * @param resetBackoff resets the channel's own connection backoff before a reconnect attempt,
   *     since this connection already paces its attempts
   */
  public WorkerClient(
      WorkerLinkGrpc.WorkerLinkStub stub,
      WorkerLinkGrpc.@Nullable WorkerLinkStub urgentStub,
      Registration registration,
      WorkerListener listener,
      ClientConfig config,
      PayloadCodec payloads,
      Runnable resetBackoff) {
    this.resetBackoff = resetBackoff;
    this.stub = stub;
    this.urgentStub = urgentStub;
    this.base = registration;
    this.listener = listener;
    this.config = config;
    this.payloads = payloads;
    for (LeaseRef l : registration.heldLeases()) {
      held.put(l.task(), l);
    }
  }

  /**
   * Connects and registers, blocking until the coordinator accepts or refuses.
   *
   * @throws PoolException the coordinator's refusal, UNAVAILABLE, or DEADLINE_EXCEEDED
   */
  public void open() {
    Stream s = startStream();
    try {
      s.registered.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Errors.toPoolException(e.getCause(), "connect to " + config.target());
    } catch (TimeoutException e) {
      s.call().cancel("registration timed out", null);
      throw new PoolException(
          ErrorCode.DEADLINE_EXCEEDED,
          "connect to "
              + config.target()
              + ": no answer to registration within "
              + config.connectTimeout().toMillis()
              + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.call().cancel("interrupted", null);
      throw new PoolException(ErrorCode.CANCELLED, "connect: interrupted");
    }
  }

  private Stream startStream() {
    Registration registration;
    synchronized (lock) {
      List<LeaseRef> leases;
      synchronized (this.leases) {
        leases = new ArrayList<>(held.values());
      }
      // results still queued answer leases too: the new stream must know them to accept them
      for (WorkerMessage m : pending) {
        if (m.getBodyCase() == WorkerMessage.BodyCase.RESULTS) {
          for (io.poolforge.transport.grpc.v1.WorkResult r : m.getResults().getResultsList()) {
            leases.add(Wire.lease(r.getLease()));
          }
        }
      }
      registration =
          new Registration(
              base.worker(),
              base.attestation(),
              leases.size() > 65_536 ? leases.subList(0, 65_536) : leases);
    }
    Stream s = new Stream();
    WorkerLinkGrpc.WorkerLinkStub st = stub;
    if (config.compression() != null) {
      st = st.withCompression(config.compression());
    }
    synchronized (lock) {
      // set before the call starts: a call to an unreachable coordinator may fail at once, on
      // another thread, and its failure must be recognised as this stream's
      stream = s;
    }
    st.connect(s);
    synchronized (lock) {
      if (stream == s) {
        s.call()
            .onNext(WorkerMessage.newBuilder().setRegister(Wire.register(registration)).build());
      }
    }
    return s;
  }

  @Override
  public void grant(int credits) {
    if (credits <= 0) {
      throw PoolException.invalidArgument("credits", "is " + credits + ", must be > 0");
    }
    synchronized (lock) {
      ensureOpen();
      synchronized (leases) {
        credit += credits;
      }
      Stream s = stream;
      if (s != null && s.active) {
        enqueueLocked(
            WorkerMessage.newBuilder().setGrant(Grant.newBuilder().setCredits(credits)).build());
      }
    }
    drain();
  }

  @Override
  public void sendResults(List<WorkResult> results) {
    if (results == null) {
      throw PoolException.invalidArgument("results", "must not be null");
    }
    if (results.isEmpty()) {
      return;
    }
    List<io.poolforge.transport.grpc.v1.WorkResult> encoded = new ArrayList<>(results.size());
    int limit = config.maxMessageBytes() - 1024;
    for (int i = 0; i < results.size(); i++) {
      io.poolforge.transport.grpc.v1.WorkResult r = Wire.result(results.get(i), payloads);
      if (r.getSerializedSize() + 8 > limit) {
        throw PoolException.invalidArgument(
            "results[" + i + "]",
            "encodes to "
                + r.getSerializedSize()
                + " bytes, the message size limit is "
                + config.maxMessageBytes());
      }
      encoded.add(r);
    }
    if (sentOnLane(results, encoded, limit)) {
      return;
    }
    boolean[] answersUrgent = new boolean[results.size()];
    boolean anyUrgent = false;
    synchronized (lock) {
      ensureOpen();
      // under lock too: a reconnect (startStream) sees each lease either held or in a queued result
      synchronized (leases) {
        for (int i = 0; i < results.size(); i++) {
          TaskId task = results.get(i).lease().task();
          held.remove(task);
          answersUrgent[i] = !urgent.isEmpty() && urgent.remove(task);
          anyUrgent |= answersUrgent[i];
        }
      }
      boolean jump = false;
      Lane l = lane;
      boolean useLane;
      synchronized (laneLock) {
        useLane = l != null && l.acked && anyUrgent;
      }
      List<io.poolforge.transport.grpc.v1.WorkResult> onLane = List.of();
      List<io.poolforge.transport.grpc.v1.WorkResult> onMain =
          useLane ? new ArrayList<>() : encoded;
      for (int i = 0; i < results.size(); i++) {
        boolean isUrgent = answersUrgent[i];
        jump |= isUrgent;
        if (useLane) {
          // each result carries its own proof of the signed batch: a batch may be split
          if (isUrgent) {
            if (onLane.isEmpty()) {
              onLane = new ArrayList<>(1);
            }
            onLane.add(encoded.get(i));
          } else {
            onMain.add(encoded.get(i));
          }
        }
      }
      if (!onLane.isEmpty() && l != null) {
        List<WorkerMessage> laneMessages = batches(onLane, limit);
        synchronized (laneLock) {
          l.checkQueueLocked(laneMessages.size());
          l.pending.addAll(laneMessages);
          l.drainLocked();
        }
        jump = false;
        if (onMain.isEmpty()) {
          return;
        }
      }
      List<WorkerMessage> messages = batches(onMain, limit);
      if (jump) {
        // an urgent task's result goes ahead of the results still waiting for the stream to be
        // ready (the coordinator accepts results in any order; each names its lease)
        checkQueueLocked(messages.size());
        for (int i = messages.size() - 1; i >= 0; i--) {
          pending.addFirst(messages.get(i));
        }
      } else {
        for (WorkerMessage m : messages) {
          enqueueLocked(m);
        }
      }
    }
    drain();
  }

  /**
   * Sends a batch whose results all answer urgent tasks on the bound lane, holding only the lane's
   * lock and the lease lock: how the urgent runner's results go out while bulk runners hold the
   * connection's lock.
   *
   * @return false (nothing done) when the lane is not bound or a result is not urgent
   */
  private boolean sentOnLane(
      List<WorkResult> results,
      List<io.poolforge.transport.grpc.v1.WorkResult> encoded,
      int limit) {
    synchronized (leases) {
      // a bulk batch leaves here, without touching the lane's lock
      if (!allUrgentLocked(results)) {
        return false;
      }
    }
    synchronized (laneLock) {
      Lane l = lane;
      if (l == null || !l.acked || closed || finished) {
        return false;
      }
      List<WorkerMessage> messages = batches(encoded, limit);
      l.checkQueueLocked(messages.size());
      // a reconnect finds these leases in the lane's queue: dropping the lane (which a reconnect
      // follows) moves it to the main queue, under this lock
      synchronized (leases) {
        if (!allUrgentLocked(results)) {
          return false; // revoked meanwhile
        }
        for (WorkResult r : results) {
          held.remove(r.lease().task());
          urgent.remove(r.lease().task());
        }
      }
      l.pending.addAll(messages);
      l.drainLocked();
      return true;
    }
  }

  /** Whether every result answers a held urgent task. Holding {@code leases}. */
  private boolean allUrgentLocked(List<WorkResult> results) {
    if (urgent.isEmpty()) {
      return false;
    }
    for (WorkResult r : results) {
      if (!urgent.contains(r.lease().task())) {
        return false;
      }
    }
    return true;
  }

  private static List<WorkerMessage> batches(
      List<io.poolforge.transport.grpc.v1.WorkResult> encoded, int limit) {
    ResultBatch.Builder batch = ResultBatch.newBuilder();
    int bytes = 0;
    List<WorkerMessage> messages = new ArrayList<>(1);
    for (io.poolforge.transport.grpc.v1.WorkResult r : encoded) {
      int size = r.getSerializedSize() + 8;
      if (batch.getResultsCount() > 0 && bytes + size > limit) {
        messages.add(WorkerMessage.newBuilder().setResults(batch).build());
        batch = ResultBatch.newBuilder();
        bytes = 0;
      }
      batch.addResults(r);
      bytes += size;
    }
    messages.add(WorkerMessage.newBuilder().setResults(batch).build());
    return messages;
  }

  @Override
  public void heartbeat(Heartbeat heartbeat) {
    if (heartbeat == null) {
      throw PoolException.invalidArgument("heartbeat", "must not be null");
    }
    synchronized (lock) {
      ensureOpen();
      Stream s = stream;
      if (s != null && s.active) {
        // a heartbeat is only meaningful now: while reconnecting it is dropped, not queued
        enqueueLocked(WorkerMessage.newBuilder().setHeartbeat(Wire.heartbeat(heartbeat)).build());
      }
    }
    drain();
  }

  @Override
  public void checkpoint(LeaseRef lease, Bytes state) {
    if (lease == null) {
      throw PoolException.invalidArgument("lease", "must not be null");
    }
    if (state == null) {
      throw PoolException.invalidArgument("state", "must not be null");
    }
    WorkerMessage m =
        WorkerMessage.newBuilder()
            .setCheckpoint(
                Checkpoint.newBuilder()
                    .setLease(Wire.lease(lease))
                    .setState(payloads.encode("checkpoint.state", state)))
            .build();
    if (m.getSerializedSize() > config.maxMessageBytes() - 1024) {
      throw PoolException.invalidArgument(
          "state",
          "encodes to "
              + m.getSerializedSize()
              + " bytes, the message size limit is "
              + config.maxMessageBytes());
    }
    synchronized (lock) {
      ensureOpen();
      enqueueLocked(m);
    }
    drain();
  }

  @Override
  public void close() {
    Stream s;
    boolean flush = false;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      s = stream;
      synchronized (laneLock) {
        Lane l = lane;
        lane = null;
        if (l != null) {
          if (s != null && s.active && l.acked) {
            while (!l.pending.isEmpty()) {
              l.call().onNext(l.pending.poll());
            }
            l.call().onCompleted();
          } else {
            l.call().cancel("closed by the worker", null);
          }
        }
      }
      if (s != null && s.active) {
        // a clean close delivers what was queued, then half-closes: the drainer does both, as it
        // does every write on the stream
        flush = true;
      } else {
        if (s != null) {
          s.call().cancel("closed by the worker", null);
        }
        pending.clear();
      }
    }
    if (flush) {
      drain();
    }
    finish(null);
  }

  /**
   * The leases this worker holds now (assigned, not yet answered or revoked).
   *
   * @return a snapshot
   */
  public List<LeaseRef> heldLeases() {
    synchronized (leases) {
      return List.copyOf(held.values());
    }
  }

  /**
   * Whether an urgent lane is open now: the coordinator bound it to this connection's stream.
   *
   * @return true while urgent results go on the lane
   */
  public boolean urgentLaneOpen() {
    synchronized (laneLock) {
      Lane l = lane;
      return l != null && l.acked;
    }
  }

  private void ensureOpen() {
    if (closed || finished) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "the connection to " + config.target() + " is closed");
    }
  }

  /** Queues a message for the main stream; the caller calls {@link #drain()} after the lock. */
  private void enqueueLocked(WorkerMessage m) {
    checkQueueLocked(1);
    pending.add(m);
  }

  private void checkQueueLocked(int adding) {
    if (pending.size() + adding > config.maxQueuedMessages()) {
      throw new PoolException(
          ErrorCode.RESOURCE_EXHAUSTED,
          "outbound",
          "outbound: "
              + pending.size()
              + " messages are queued for "
              + config.target()
              + ", the limit is "
              + config.maxQueuedMessages(),
          null);
    }
  }

  /**
   * Writes the main stream's queued messages while it is ready, outside the connection's lock, one
   * drainer at a time: a caller that finds another thread draining leaves the work to it and
   * returns at once. Writing serializes the message (a result batch may be hundreds of KB), and a
   * bulk runner at low priority doing that under the lock would hold up the urgent lane's thread,
   * which takes the lock for each urgent assignment.
   */
  private void drain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    int requests = 1;
    do {
      writeWhileReady();
      requests = drainRequests.addAndGet(-requests);
    } while (requests != 0);
  }

  private void writeWhileReady() {
    while (true) {
      ClientCallStreamObserver<WorkerMessage> call;
      WorkerMessage m;
      synchronized (lock) {
        Stream s = stream;
        if (s == null || !s.active || halfClosed) {
          return;
        }
        call = s.call();
        if (closed) {
          // a clean close: everything queued goes, ready or not, then the half-close
          m = pending.poll();
          if (m == null) {
            halfClosed = true;
          }
        } else {
          if (pending.isEmpty() || !call.isReady()) {
            return;
          }
          m = pending.poll();
        }
      }
      if (m == null) {
        call.onCompleted();
        return;
      }
      call.onNext(m);
    }
  }

  private void finish(@Nullable PoolException reason) {
    synchronized (lock) {
      if (finished) {
        return;
      }
      finished = true;
    }
    listener.onClosed(reason);
  }

  private void broken(Stream s, PoolException reason) {
    boolean retry;
    synchronized (lock) {
      if (stream != s || closed || finished || s.broken) {
        return;
      }
      s.broken = true;
      s.active = false;
      dropLaneLocked();
      long now = System.nanoTime();
      if (brokenSinceNanos == 0) {
        brokenSinceNanos = now;
        backoffMillis = config.initialBackoff().toMillis();
      }
      retry =
          reason.retryable()
              && now - brokenSinceNanos < config.reconnectFor().toNanos()
              && !config.reconnectFor().isZero();
      if (retry) {
        long delay =
            backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(config.maxBackoff().toMillis(), backoffMillis * 2);
        config.scheduler().schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
      }
    }
    if (!retry) {
      finish(reason);
    }
  }

  /**
   * Ends the urgent lane (its stream is gone or going); results still queued on it move to the
   * front of the main stream's queue, which presents their leases again on reconnect.
   */
  private void dropLaneLocked() {
    Lane l;
    synchronized (laneLock) {
      l = lane;
      if (l == null) {
        return;
      }
      lane = null;
      while (!l.pending.isEmpty()) {
        pending.addFirst(l.pending.pollLast());
      }
    }
    l.call().cancel("the main stream ended", null);
  }

  private void openLaneLocked(Stream owner, byte[] key) {
    WorkerLinkGrpc.WorkerLinkStub st = urgentStub;
    if (st == null || key.length == 0) {
      return;
    }
    dropLaneLocked();
    if (config.compression() != null) {
      st = st.withCompression(config.compression());
    }
    Lane l = new Lane(owner);
    synchronized (laneLock) {
      lane = l;
    }
    st.urgentLane(l);
    synchronized (laneLock) {
      if (lane == l) {
        l.call()
            .onNext(
                WorkerMessage.newBuilder()
                    .setLaneHello(
                        LaneHello.newBuilder()
                            .setWorkerId(base.worker().id().value())
                            .setKey(com.google.protobuf.ByteString.copyFrom(key)))
                    .build());
      }
    }
  }

  /** Handles an assignment batch from either stream; counts it against the credit. */
  private void assignments(CoordinatorMessage m) {
    int n = m.getAssignments().getAssignmentsCount();
    synchronized (leases) {
      if (n > credit) {
        throw new PoolException(
            ErrorCode.INTERNAL,
            "assignments",
            "the coordinator sent " + n + " assignments beyond the remaining credit of " + credit,
            null);
      }
      credit -= n;
    }
    List<Assignment> batch = new ArrayList<>(n);
    for (io.poolforge.transport.grpc.v1.Assignment a : m.getAssignments().getAssignmentsList()) {
      batch.add(Wire.assignment(a, payloads));
    }
    synchronized (leases) {
      for (Assignment a : batch) {
        held.put(a.lease().task(), a.lease());
        if (a.priority() >= Priority.HIGH) {
          urgent.add(a.lease().task());
        }
      }
    }
    listener.onAssignments(batch);
  }

  private void reconnect() {
    synchronized (lock) {
      if (closed || finished) {
        return;
      }
    }
    try {
      resetBackoff.run();
      startStream();
    } catch (RuntimeException e) {
      finish(Errors.toPoolException(e, "reconnect to " + config.target()));
    }
  }

  /** One attempt at the stream. */
  private final class Stream implements ClientResponseObserver<WorkerMessage, CoordinatorMessage> {
    final CompletableFuture<Void> registered = new CompletableFuture<>();
    private @Nullable ClientCallStreamObserver<WorkerMessage> call;
    volatile boolean active;

    /** {@link #broken} ran for it (guarded by the connection's lock). */
    boolean broken;

    ClientCallStreamObserver<WorkerMessage> call() {
      return java.util.Objects.requireNonNull(call, "call");
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
      requestStream.setOnReadyHandler(WorkerClient.this::drain);
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      try {
        switch (m.getBodyCase()) {
          case REGISTERED -> {
            synchronized (lock) {
              active = true;
              brokenSinceNanos = 0;
              long granted;
              synchronized (leases) {
                granted = credit;
              }
              if (granted > 0) {
                pending.addFirst(
                    WorkerMessage.newBuilder()
                        .setGrant(
                            Grant.newBuilder()
                                .setCredits((int) Math.min(Integer.MAX_VALUE, granted)))
                        .build());
              }
              if (stream == this) {
                openLaneLocked(this, m.getRegistered().getUrgentLaneKey().toByteArray());
              }
            }
            drain();
            registered.complete(null);
          }
          case ASSIGNMENTS -> assignments(m);
          case REVOKE -> {
            List<TaskId> tasks = new ArrayList<>(m.getRevoke().getTaskIdsCount());
            for (long id : m.getRevoke().getTaskIdsList()) {
              tasks.add(new TaskId(id));
            }
            synchronized (leases) {
              tasks.forEach(held::remove);
              tasks.forEach(urgent::remove);
            }
            listener.onRevoked(tasks);
          }
          case BODY_NOT_SET ->
              throw PoolException.invalidArgument("message", "from the coordinator has no body");
        }
        synchronized (lock) {
          if (stream == this && !closed) {
            call().request(1);
          }
        }
      } catch (PoolException e) {
        call().cancel("protocol violation: " + e.getMessage(), e);
        protocolViolation(e);
      }
    }

    private void protocolViolation(PoolException e) {
      synchronized (lock) {
        if (stream != this) {
          return;
        }
        active = false;
      }
      registered.completeExceptionally(e);
      finish(e);
    }

    @Override
    public void onError(Throwable t) {
      PoolException e = Errors.toPoolException(t, "stream to " + config.target());
      if (!registered.isDone()) {
        registered.completeExceptionally(e);
        synchronized (lock) {
          if (!active && brokenSinceNanos == 0) {
            // the first registration failed: open() reports it
            active = false;
            stream = null;
            return;
          }
        }
      }
      broken(this, e);
    }

    @Override
    public void onCompleted() {
      synchronized (lock) {
        active = false;
      }
      registered.completeExceptionally(
          new PoolException(ErrorCode.UNAVAILABLE, "the coordinator ended the stream"));
      finish(null);
    }
  }

  /** The urgent lane of one main stream. */
  private final class Lane implements ClientResponseObserver<WorkerMessage, CoordinatorMessage> {
    private final Stream owner;
    final ArrayDeque<WorkerMessage> pending = new ArrayDeque<>();
    private @Nullable ClientCallStreamObserver<WorkerMessage> call;

    /** The coordinator bound it (guarded by the connection's lane lock). */
    volatile boolean acked;

    Lane(Stream owner) {
      this.owner = owner;
    }

    ClientCallStreamObserver<WorkerMessage> call() {
      return java.util.Objects.requireNonNull(call, "call");
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WorkerMessage> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
      requestStream.setOnReadyHandler(
          () -> {
            synchronized (laneLock) {
              if (lane == this) {
                drainLocked();
              }
            }
          });
    }

    void checkQueueLocked(int adding) {
      if (pending.size() + adding > config.maxQueuedMessages()) {
        throw new PoolException(
            ErrorCode.RESOURCE_EXHAUSTED,
            "outbound",
            "outbound: "
                + pending.size()
                + " messages are queued on the urgent lane to "
                + config.target()
                + ", the limit is "
                + config.maxQueuedMessages(),
            null);
      }
    }

    void drainLocked() {
      if (lane != this || closed) {
        return;
      }
      ClientCallStreamObserver<WorkerMessage> c = call();
      while (!pending.isEmpty() && c.isReady()) {
        WorkerMessage m = pending.poll();
        c.onNext(m);
      }
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      try {
        switch (m.getBodyCase()) {
          case REGISTERED -> {
            synchronized (laneLock) {
              acked = true;
              drainLocked();
            }
          }
          case ASSIGNMENTS -> assignments(m);
          default ->
              throw PoolException.invalidArgument(
                  "message", "the coordinator sent " + m.getBodyCase() + " on the urgent lane");
        }
        synchronized (laneLock) {
          if (lane == this && !closed) {
            call().request(1);
          }
        }
      } catch (PoolException e) {
        call().cancel("protocol violation: " + e.getMessage(), e);
        Stream s;
        synchronized (lock) {
          s = lane == this ? owner : null;
        }
        if (s != null) {
          s.call().cancel("protocol violation on the urgent lane: " + e.getMessage(), e);
          s.protocolViolation(e);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      ended(Errors.toPoolException(t, "urgent lane to " + config.target()));
    }

    @Override
    public void onCompleted() {
      ended(new PoolException(ErrorCode.UNAVAILABLE, "the coordinator ended the urgent lane"));
    }

    private void ended(PoolException reason) {
      boolean breakMain;
      synchronized (lock) {
        synchronized (laneLock) {
          if (lane != this) {
            return; // dropped on purpose
          }
          lane = null;
          while (!pending.isEmpty()) {
            WorkerClient.this.pending.addFirst(pending.pollLast());
          }
        }
        // A lane that was never bound (an older coordinator, or refused) just is not used. A bound
        // one that broke (a retryable status) may have lost results in flight: the main stream is
        // re-established, which presents the held leases again. A bound one the coordinator ended
        // on purpose (a refusal) ends with the main stream, whose own status tells why.
        breakMain = acked && reason.retryable() && stream == owner && owner.active && !closed;
      }
      if (!breakMain) {
        drain();
      }
      if (breakMain) {
        broken(owner, reason);
        owner.call().cancel("the urgent lane broke", null);
      }
    }
  }
}
