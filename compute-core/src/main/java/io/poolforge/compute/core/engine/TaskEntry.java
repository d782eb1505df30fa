package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One task inside the engine. The final fields are set by the submitting thread before the entry is
 * handed to the scheduler; every other field is owned by the scheduler thread, except {@link
 * #snapshot}, which the scheduler publishes for readers.
 */
final class TaskEntry implements TaskHandle {
  final TaskId id;
  final TaskSpec spec;
  final TaskKind<?, ?> kind;
  final VerificationSpec verification;
  final long cost;
  final Instant submittedAt;
  final @Nullable Instant deadlineAt;
  final CompletableFuture<TaskId> accepted = new CompletableFuture<>();
  final CompletableFuture<TaskResult> result = new CompletableFuture<>();
  final @Nullable TaskEntry parent;
  final int chunkIndex;

  /** What readers see; replaced (never mutated) by the scheduler. */
  volatile Snapshot snapshot;

  // ---- scheduler-owned state ----
  @Nullable Lane lane;

  /** Copies still to dispatch; the task sits in its lane's queue while this is positive. */
  int needed;

  boolean queued;
  long enqueuedAtMillis;
  int attempts;
  int failures;
  int dispatched;
  boolean terminal;
  final List<Lease> running = new ArrayList<>(1);
  @Nullable List<WorkResult> results;
  @Nullable List<WorkerId> avoid;
  @Nullable List<String> avoidOwners;
  @Nullable Bytes checkpoint;

  /** The accepted result's credit, which must be durable before the completion is stored. */
  java.util.concurrent.@Nullable CompletableFuture<Void> credit;

  @Nullable WorkerId lastWorker;
  boolean recomputing;

  /** Since when (clock millis) no connected worker may take its next copy; -1 when placeable. */
  long strandedSince = -1;

  /** Whether a trusted recompute already ran because it was stranded (a second time fails it). */
  boolean strandRecomputed;

  // split parents
  @Nullable TaskEntry @Nullable [] chunks;
  @Nullable Bytes @Nullable [] chunkOutputs;
  int chunksDone;

  TaskEntry(
      TaskId id,
      TaskSpec spec,
      TaskKind<?, ?> kind,
      VerificationSpec verification,
      long cost,
      Instant submittedAt,
      @Nullable TaskEntry parent,
      int chunkIndex) {
    this.id = id;
    this.spec = spec;
    this.kind = kind;
    this.verification = verification;
    this.cost = cost;
    this.submittedAt = submittedAt;
    this.deadlineAt = spec.deadline() == null ? null : submittedAt.plus(spec.deadline());
    this.parent = parent;
    this.chunkIndex = chunkIndex;
    this.snapshot = new Snapshot(TaskState.QUEUED, 0, submittedAt, null, null);
  }

  @Override
  public TaskId id() {
    return id;
  }

  @Override
  public CompletableFuture<TaskId> accepted() {
    return accepted;
  }

  @Override
  public CompletableFuture<TaskResult> result() {
    return result;
  }

  boolean constrained() {
    return avoid != null || avoidOwners != null || !running.isEmpty();
  }

  void avoid(WorkerId worker) {
    if (avoid == null) {
      avoid = new ArrayList<>(2);
    }
    if (!avoid.contains(worker)) {
      avoid.add(worker);
    }
  }

  TaskStatus status() {
    Snapshot s = snapshot;
    return new TaskStatus(
        id,
        spec.kind(),
        s.state(),
        spec.priority(),
        spec.submitter(),
        s.attempts(),
        submittedAt,
        s.updatedAt(),
        s.worker(),
        s.failure());
  }

  /**
   * An immutable view of the mutable part of a task, published by the scheduler.
   *
   * @param state the state
   * @param attempts assignments so far
   * @param updatedAt last change
   * @param worker the worker running it or that produced the result
   * @param failure why it failed, if it did
   */
  record Snapshot(
      TaskState state,
      int attempts,
      Instant updatedAt,
      @Nullable WorkerId worker,
      TaskStatus.@Nullable Failure failure) {}
}
