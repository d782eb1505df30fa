package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.schedule.WorkerView;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.verify.Reputation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A connected worker as the scheduler tracks it: credit, leases, load and the measured time per
 * task of each kind, from which its batch size is derived. Owned by the scheduler thread.
 */
final class WorkerSlot implements WorkerView {
  /** Smoothing of the time-per-task average. */
  private static final double ALPHA = 0.25;

  /** A sample this many times off the average is drift: the average restarts from the sample. */
  private static final double DRIFT = 4.0;

  /** The window from which one credit is reserved for urgent tasks (see {@link #reserve}). */
  static final int RESERVE_FROM_WINDOW = 16;

  final WorkerInfo info;
  final WorkerChannel channel;
  int index = -1;
  private final @Nullable Reputation reputation;
  final List<Lane> lanes = new ArrayList<>(2);
  final LongMap<Lease> leases = new LongMap<>();
  final Map<String, double[]> speeds = new HashMap<>(4); // kind -> {nanosPerTask, samples}
  List<Assignment> outbox = new ArrayList<>();
  int freeCredit;
  double load;
  long freeDeviceMemory;
  double latencyNanos;
  long lastSeenMillis;
  boolean gone;

  /** When its connection broke (it may reconnect within the reconnect grace), or -1. */
  long brokenAtMillis = -1;

  /** Why its connection broke, while {@link #brokenAtMillis} is set. */
  @Nullable String brokenReason;

  WorkerSlot(WorkerInfo info, WorkerChannel channel, @Nullable Reputation reputation, long now) {
    this.info = info;
    this.channel = channel;
    this.reputation = reputation;
    this.freeDeviceMemory = info.capabilities().deviceMemoryBytes();
    this.lastSeenMillis = now;
  }

  @Override
  public WorkerId id() {
    return info.id();
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public String owner() {
    return info.owner();
  }

  /**
   * Credit kept back from normal tasks so that an urgent one (priority {@link Priority#HIGH} or
   * above) finds room at once instead of waiting for the worker to finish a batch: one task, once
   * the worker's window is at least {@value #RESERVE_FROM_WINDOW} (a smaller window keeps all of it
   * for normal work).
   */
  int reserve() {
    return freeCredit + leases.size() >= RESERVE_FROM_WINDOW ? 1 : 0;
  }

  /** The credit normal tasks may use: allocators see only this. */
  @Override
  public int freeCredit() {
    return Math.max(0, freeCredit - reserve());
  }

  @Override
  public int inFlight() {
    return leases.size();
  }

  @Override
  public double load() {
    return load;
  }

  @Override
  public long freeDeviceMemoryBytes() {
    return freeDeviceMemory;
  }

  @Override
  public double nanosPerTask(String kind) {
    double[] s = speeds.get(kind);
    return s == null ? 0 : s[0];
  }

  @Override
  public double latencyNanos() {
    return latencyNanos;
  }

  @Override
  public double credibility(String kind) {
    return reputation == null ? 0.5 : reputation.credibility(info.id(), kind);
  }

  /** Learns from one result's time per task; restarts the average on drift. */
  void measured(String kind, long nanos) {
    if (nanos <= 0) {
      return;
    }
    double[] s = speeds.get(kind);
    if (s == null) {
      speeds.put(kind, new double[] {nanos, 1});
      return;
    }
    double avg = s[0];
    if (nanos > avg * DRIFT || nanos * DRIFT < avg) {
      s[0] = nanos;
      s[1] = 1;
    } else {
      s[0] = avg + ALPHA * (nanos - avg);
      s[1]++;
    }
  }

  /**
   * How many tasks of a kind to send at once: enough to fill {@code targetNanos} at the measured
   * speed, between 1 and {@code maxBatch}; {@code initial} before anything was measured.
   */
  int batchSize(String kind, long targetNanos, int maxBatch, int initial) {
    double nanos = nanosPerTask(kind);
    if (nanos <= 0) {
      return Math.min(initial, maxBatch);
    }
    double n = targetNanos / nanos;
    return (int) Math.max(1, Math.min(maxBatch, n));
  }

  @Override
  public String toString() {
    return "worker " + info.id();
  }
}
