package io.poolforge.transport.grpc.internal;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Requirements;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.transport.grpc.v1.Event;
import io.poolforge.transport.grpc.v1.TaskCompleted;
import io.poolforge.transport.grpc.v1.TaskFailed;
import io.poolforge.transport.grpc.v1.Verification;
import io.poolforge.transport.grpc.v1.WorkerEvent;
import java.time.Duration;
import java.util.HashSet;
import org.jspecify.annotations.Nullable;

/**
 * Converts the submitter-side records (specs, statuses, events) to and from poolforge.v1.
 *
 * <p>Stateless and thread-safe.
 */
public final class SubmitWire {
  private SubmitWire() {}

  /**
   * Encodes a spec.
   *
   * @param s the spec
   * @param codec the payload codec
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.TaskSpec spec(TaskSpec s, PayloadCodec codec) {
    io.poolforge.transport.grpc.v1.TaskSpec.Builder b =
        io.poolforge.transport.grpc.v1.TaskSpec.newBuilder()
            .setKind(s.kind())
            .setPayload(codec.encode("payload", s.payload()))
            .setPriority(s.priority())
            .setSubmitter(s.submitter())
            .setRequirements(
                io.poolforge.transport.grpc.v1.Requirements.newBuilder()
                    .addAllBackends(s.requirements().backends())
                    .setMinDeviceMemoryBytes(s.requirements().minDeviceMemoryBytes())
                    .addAllTags(s.requirements().tags())
                    .setAttestation(s.requirements().attestation()))
            .setDeadlineMillis(s.deadline() == null ? 0 : s.deadline().toMillis())
            .setMaxAttempts(s.maxAttempts())
            .putAllLabels(s.labels());
    VerificationSpec v = s.verification();
    if (v != null) {
      b.setVerification(
          Verification.newBuilder()
              .setMode(v.mode().name())
              .setQuorum(v.quorum())
              .setReplicas(v.replicas())
              .setMaxReplicas(v.maxReplicas())
              .setSpotCheckRate(v.spotCheckRate())
              .setCheapCheck(v.cheapCheck()));
    }
    return b.build();
  }

  /**
   * Decodes a spec, validating it.
   *
   * @param m the message
   * @param codec the payload codec
   * @return the spec
   */
  public static TaskSpec spec(io.poolforge.transport.grpc.v1.TaskSpec m, PayloadCodec codec) {
    if (m.getDeadlineMillis() < 0) {
      throw PoolException.invalidArgument(
          "deadline", "is " + m.getDeadlineMillis() + " ms, must be >= 0");
    }
    VerificationSpec verification = null;
    if (m.hasVerification()) {
      Verification v = m.getVerification();
      VerificationSpec.Mode mode;
      try {
        mode = VerificationSpec.Mode.valueOf(v.getMode());
      } catch (IllegalArgumentException e) {
        throw PoolException.invalidArgument(
            "verification.mode", "'" + v.getMode() + "' is not NONE, QUORUM or SPOT_CHECK");
      }
      verification =
          new VerificationSpec(
              mode,
              v.getQuorum(),
              v.getReplicas(),
              v.getMaxReplicas(),
              v.getSpotCheckRate(),
              v.getCheapCheck());
    }
    Requirements req =
        m.hasRequirements()
            ? new Requirements(
                new HashSet<>(m.getRequirements().getBackendsList()),
                m.getRequirements().getMinDeviceMemoryBytes(),
                new HashSet<>(m.getRequirements().getTagsList()),
                m.getRequirements().getAttestation())
            : Requirements.ANY;
    return new TaskSpec(
        m.getKind(),
        codec.decode("payload", m.getPayload()),
        m.getPriority(),
        m.getSubmitter().isEmpty() ? TaskSpec.DEFAULT_SUBMITTER : m.getSubmitter(),
        req,
        m.getDeadlineMillis() == 0 ? null : Duration.ofMillis(m.getDeadlineMillis()),
        verification,
        m.getMaxAttempts() == 0 ? TaskSpec.DEFAULT_MAX_ATTEMPTS : m.getMaxAttempts(),
        m.getLabelsMap());
  }

  /**
   * Encodes a status.
   *
   * @param s the status
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.TaskStatus status(TaskStatus s) {
    io.poolforge.transport.grpc.v1.TaskStatus.Builder b =
        io.poolforge.transport.grpc.v1.TaskStatus.newBuilder()
            .setTaskId(s.id().value())
            .setKind(s.kind())
            .setState(s.state().name())
            .setPriority(s.priority())
            .setSubmitter(s.submitter())
            .setAttempts(s.attempts())
            .setSubmittedAt(Wire.timestamp(s.submittedAt()))
            .setUpdatedAt(Wire.timestamp(s.updatedAt()));
    if (s.worker() != null) {
      b.setWorkerId(s.worker().value());
    }
    if (s.failure() != null) {
      b.setFailure(Wire.failure(s.failure()));
    }
    return b.build();
  }

  /**
   * Decodes a status.
   *
   * @param m the message
   * @return the status
   */
  public static TaskStatus status(io.poolforge.transport.grpc.v1.TaskStatus m) {
    TaskState state;
    try {
      state = TaskState.valueOf(m.getState());
    } catch (IllegalArgumentException e) {
      throw PoolException.invalidArgument("state", "'" + m.getState() + "' is not a TaskState");
    }
    return new TaskStatus(
        new TaskId(m.getTaskId()),
        m.getKind(),
        state,
        m.getPriority(),
        m.getSubmitter(),
        m.getAttempts(),
        Wire.instant(m.getSubmittedAt()),
        Wire.instant(m.getUpdatedAt()),
        m.getWorkerId().isEmpty() ? null : new WorkerId(m.getWorkerId()),
        m.hasFailure() ? Wire.failure("failure", m.getFailure()) : null);
  }

  /**
   * Encodes the events submitters see: task completions and failures, and worker arrivals and
   * departures. Other events return null.
   *
   * @param e the event
   * @param codec the payload codec for outputs
   * @return the message, or null if this event is not sent to submitters
   */
  public static @Nullable Event event(PoolEvent e, PayloadCodec codec) {
    Event.Builder b = Event.newBuilder().setAt(Wire.timestamp(e.at()));
    switch (e) {
      case PoolEvent.TaskCompleted c -> {
        TaskResult r = c.result();
        b.setCompleted(
            TaskCompleted.newBuilder()
                .setTaskId(r.id().value())
                .setKind(r.kind())
                .setOutput(codec.encode("output", r.output()))
                .setWorkerId(r.worker().value())
                .setAttempt(r.attempt()));
      }
      case PoolEvent.TaskFailed f ->
          b.setFailed(
              TaskFailed.newBuilder()
                  .setTaskId(f.task().value())
                  .setFailure(Wire.failure(f.failure())));
      case PoolEvent.WorkerJoined j ->
          b.setWorker(
              WorkerEvent.newBuilder().setWorkerId(j.worker().id().value()).setWhat("joined"));
      case PoolEvent.WorkerLeft l ->
          b.setWorker(
              WorkerEvent.newBuilder()
                  .setWorkerId(l.worker().value())
                  .setWhat("left")
                  .setReason(l.reason()));
      case PoolEvent.WorkerQuarantined q ->
          b.setWorker(
              WorkerEvent.newBuilder()
                  .setWorkerId(q.worker().value())
                  .setWhat("quarantined")
                  .setReason(q.reason()));
      default -> {
        return null;
      }
    }
    return b.build();
  }

  /**
   * The task an event message is about, or 0 for worker events.
   *
   * @param e the message
   * @return the task id value or 0
   */
  public static long taskOf(Event e) {
    return switch (e.getBodyCase()) {
      case COMPLETED -> e.getCompleted().getTaskId();
      case FAILED -> e.getFailed().getTaskId();
      default -> 0;
    };
  }

  /**
   * Decodes an event.
   *
   * @param m the message
   * @param codec the payload codec for outputs
   * @return the event, or null for a body this client does not know
   */
  public static @Nullable PoolEvent event(Event m, PayloadCodec codec) {
    java.time.Instant at = Wire.instant(m.getAt());
    return switch (m.getBodyCase()) {
      case COMPLETED -> {
        TaskCompleted c = m.getCompleted();
        Bytes output = codec.decode("output", c.getOutput());
        yield new PoolEvent.TaskCompleted(
            at,
            new TaskResult(
                new TaskId(c.getTaskId()),
                c.getKind(),
                output,
                new WorkerId(c.getWorkerId()),
                c.getAttempt(),
                at));
      }
      case FAILED ->
          new PoolEvent.TaskFailed(
              at,
              new TaskId(m.getFailed().getTaskId()),
              Wire.failure("failure", m.getFailed().getFailure()));
      case WORKER -> {
        WorkerEvent w = m.getWorker();
        WorkerId id = new WorkerId(w.getWorkerId());
        yield switch (w.getWhat()) {
          case "left" -> new PoolEvent.WorkerLeft(at, id, w.getReason());
          case "quarantined" -> new PoolEvent.WorkerQuarantined(at, id, w.getReason());
          default -> null;
        };
      }
      case BODY_NOT_SET -> null;
    };
  }
}
