package io.poolforge.transport.grpc.internal;

import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.transport.grpc.v1.Failure;
import io.poolforge.transport.grpc.v1.Register;
import io.poolforge.transport.grpc.v1.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Converts between the compute-api records and the poolforge.v1 messages. Decoding validates
 * through the records' compact constructors, so a malformed message surfaces as a {@link
 * PoolException} INVALID_ARGUMENT naming the field.
 *
 * <p>Stateless and thread-safe.
 */
public final class Wire {
  /** The protocol version string sent in Registered. */
  public static final String PROTOCOL = "poolforge.v1";

  private Wire() {}

  /**
   * Encodes an instant.
   *
   * @param i the instant
   * @return the message
   */
  public static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  /**
   * Decodes an instant.
   *
   * @param t the message
   * @return the instant
   */
  public static Instant instant(Timestamp t) {
    if (t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw PoolException.invalidArgument(
          "timestamp.nanos", "is " + t.getNanos() + ", must be 0-999999999");
    }
    try {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    } catch (java.time.DateTimeException e) {
      throw PoolException.invalidArgument(
          "timestamp.seconds", "is out of range: " + t.getSeconds());
    }
  }

  /**
   * Encodes a lease.
   *
   * @param l the lease
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.LeaseRef lease(LeaseRef l) {
    return io.poolforge.transport.grpc.v1.LeaseRef.newBuilder()
        .setTaskId(l.task().value())
        .setAttempt(l.attempt())
        .build();
  }

  /**
   * Decodes a lease.
   *
   * @param l the message
   * @return the lease
   */
  public static LeaseRef lease(io.poolforge.transport.grpc.v1.LeaseRef l) {
    return new LeaseRef(new TaskId(l.getTaskId()), l.getAttempt());
  }

  /**
   * Encodes a failure.
   *
   * @param f the failure
   * @return the message
   */
  public static Failure failure(TaskStatus.Failure f) {
    return Failure.newBuilder().setCode(f.code().name()).setMessage(f.message()).build();
  }

  /**
   * Decodes a failure.
   *
   * @param field the field for errors
   * @param f the message
   * @return the failure
   */
  public static TaskStatus.Failure failure(String field, Failure f) {
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(f.getCode());
    } catch (IllegalArgumentException e) {
      throw PoolException.invalidArgument(
          field + ".code", "'" + f.getCode() + "' is not an ErrorCode");
    }
    return new TaskStatus.Failure(code, f.getMessage());
  }

  /**
   * Encodes a registration.
   *
   * @param r the registration
   * @return the message
   */
  public static Register register(Registration r) {
    WorkerInfo w = r.worker();
    Capabilities c = w.capabilities();
    io.poolforge.transport.grpc.v1.Capabilities.Builder cb =
        io.poolforge.transport.grpc.v1.Capabilities.newBuilder()
            .addAllKinds(c.kinds())
            .addAllBackends(c.backends())
            .setDeviceMemoryBytes(c.deviceMemoryBytes())
            .setSlots(c.slots())
            .addAllTags(c.tags())
            .setAttested(c.attested());
    for (DeviceInfo d : c.devices()) {
      cb.addDevices(
          io.poolforge.transport.grpc.v1.DeviceInfo.newBuilder()
              .setBackend(d.backend())
              .setName(d.name())
              .setMemoryBytes(d.memoryBytes())
              .setComputeUnits(d.computeUnits())
              .setGpu(d.gpu()));
    }
    Register.Builder b =
        Register.newBuilder()
            .setWorker(
                io.poolforge.transport.grpc.v1.WorkerInfo.newBuilder()
                    .setId(w.id().value())
                    .setOwner(w.owner())
                    .setPayoutAddress(w.payoutAddress())
                    .setPublicKey(
                        com.google.protobuf.ByteString.copyFrom(w.publicKey().toByteArray()))
                    .setCapabilities(cb));
    if (r.attestation() != null) {
      b.setAttestation(
          io.poolforge.transport.grpc.v1.Attestation.newBuilder()
              .setFormat(r.attestation().format())
              .setEvidence(
                  com.google.protobuf.ByteString.copyFrom(
                      r.attestation().evidence().toByteArray())));
    }
    for (LeaseRef l : r.heldLeases()) {
      b.addHeldLeases(lease(l));
    }
    return b.build();
  }

  /**
   * Decodes a registration.
   *
   * @param m the message
   * @return the registration
   */
  public static Registration registration(Register m) {
    if (!m.hasWorker()) {
      throw PoolException.invalidArgument("register.worker", "is missing");
    }
    io.poolforge.transport.grpc.v1.WorkerInfo w = m.getWorker();
    io.poolforge.transport.grpc.v1.Capabilities c = w.getCapabilities();
    if (c.getKindsCount() > Capabilities.MAX_ENTRIES
        || c.getBackendsCount() > Capabilities.MAX_ENTRIES
        || c.getTagsCount() > Capabilities.MAX_ENTRIES
        || c.getDevicesCount() > Capabilities.MAX_ENTRIES) {
      throw PoolException.invalidArgument(
          "capabilities", "lists more than " + Capabilities.MAX_ENTRIES + " entries");
    }
    List<DeviceInfo> devices = new ArrayList<>();
    for (io.poolforge.transport.grpc.v1.DeviceInfo d : c.getDevicesList()) {
      devices.add(
          new DeviceInfo(
              d.getBackend(), d.getName(), d.getMemoryBytes(), d.getComputeUnits(), d.getGpu()));
    }
    Capabilities caps =
        new Capabilities(
            new HashSet<>(c.getKindsList()),
            new HashSet<>(c.getBackendsList()),
            devices,
            c.getDeviceMemoryBytes(),
            c.getSlots(),
            new HashSet<>(c.getTagsList()),
            c.getAttested());
    WorkerInfo info =
        new WorkerInfo(
            new WorkerId(w.getId()),
            w.getOwner(),
            w.getPayoutAddress(),
            io.poolforge.compute.api.Bytes.wrap(w.getPublicKey().toByteArray()),
            caps);
    Attestation attestation =
        m.hasAttestation()
            ? new Attestation(
                m.getAttestation().getFormat(),
                io.poolforge.compute.api.Bytes.wrap(m.getAttestation().getEvidence().toByteArray()))
            : null;
    if (m.getHeldLeasesCount() > 65_536) {
      throw PoolException.invalidArgument(
          "heldLeases", "has " + m.getHeldLeasesCount() + " entries, the limit is 65536");
    }
    List<LeaseRef> held = new ArrayList<>(m.getHeldLeasesCount());
    for (io.poolforge.transport.grpc.v1.LeaseRef l : m.getHeldLeasesList()) {
      held.add(lease(l));
    }
    return new Registration(info, attestation, held);
  }

  /**
   * Encodes an assignment.
   *
   * @param a the assignment
   * @param codec the payload codec
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.Assignment assignment(
      Assignment a, PayloadCodec codec) {
    io.poolforge.transport.grpc.v1.Assignment.Builder b =
        io.poolforge.transport.grpc.v1.Assignment.newBuilder()
            .setLease(lease(a.lease()))
            .setKind(a.kind())
            .setPayload(codec.encode("assignment.payload", a.payload()))
            .setLeaseExpiresAt(timestamp(a.leaseExpiresAt()))
            .setPriority(a.priority());
    if (a.checkpoint() != null) {
      b.setCheckpoint(codec.encode("assignment.checkpoint", a.checkpoint()));
    }
    return b.build();
  }

  /**
   * Decodes an assignment.
   *
   * @param m the message
   * @param codec the payload codec
   * @return the assignment
   */
  public static Assignment assignment(
      io.poolforge.transport.grpc.v1.Assignment m, PayloadCodec codec) {
    return new Assignment(
        lease(m.getLease()),
        m.getKind(),
        codec.decode("assignment.payload", m.getPayload()),
        instant(m.getLeaseExpiresAt()),
        m.hasCheckpoint() ? codec.decode("assignment.checkpoint", m.getCheckpoint()) : null,
        m.hasPriority() ? m.getPriority() : io.poolforge.compute.api.Priority.NORMAL);
  }

  /**
   * Encodes a result.
   *
   * @param r the result
   * @param codec the payload codec
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.WorkResult result(WorkResult r, PayloadCodec codec) {
    io.poolforge.transport.grpc.v1.WorkResult.Builder b =
        io.poolforge.transport.grpc.v1.WorkResult.newBuilder()
            .setLease(lease(r.lease()))
            .setWorkerId(r.worker().value())
            .setBackend(r.backend())
            .setOutput(codec.encode("result.output", r.output()))
            .setElapsedNanos(r.elapsedNanos())
            .setSignature(
                com.google.protobuf.UnsafeByteOperations.unsafeWrap(
                    r.signature().asReadOnlyBuffer()));
    if (r.error() != null) {
      b.setError(failure(r.error()));
    }
    if (!r.proof().equals(ResultProof.SINGLE)) {
      io.poolforge.transport.grpc.v1.ResultProof.Builder p =
          io.poolforge.transport.grpc.v1.ResultProof.newBuilder()
              .setIndex(r.proof().index())
              .setSize(r.proof().size());
      for (io.poolforge.compute.api.Bytes h : r.proof().path()) {
        p.addPath(com.google.protobuf.UnsafeByteOperations.unsafeWrap(h.asReadOnlyBuffer()));
      }
      b.setProof(p);
    }
    return b.build();
  }

  /**
   * Decodes a result's batch proof; absent means a batch of one.
   *
   * @param m the result message
   * @return the proof
   * @throws PoolException INVALID_ARGUMENT naming the field and the limit
   */
  static ResultProof proof(io.poolforge.transport.grpc.v1.WorkResult m) {
    if (!m.hasProof()) {
      return ResultProof.SINGLE;
    }
    io.poolforge.transport.grpc.v1.ResultProof p = m.getProof();
    if (p.getPathCount() > ResultProof.MAX_PATH) {
      throw PoolException.invalidArgument(
          "result.proof.path",
          "has " + p.getPathCount() + " hashes, the limit is " + ResultProof.MAX_PATH);
    }
    List<io.poolforge.compute.api.Bytes> path = new ArrayList<>(p.getPathCount());
    for (com.google.protobuf.ByteString h : p.getPathList()) {
      path.add(io.poolforge.compute.api.Bytes.wrap(h.toByteArray()));
    }
    // uint32 values above 2^31 arrive negative and are refused by the range checks
    return new ResultProof(p.getIndex(), p.getSize(), path);
  }

  /**
   * Decodes a result.
   *
   * @param m the message
   * @param codec the payload codec
   * @return the result
   */
  public static WorkResult result(io.poolforge.transport.grpc.v1.WorkResult m, PayloadCodec codec) {
    if (!m.hasLease()) {
      throw PoolException.invalidArgument("result.lease", "is missing");
    }
    TaskStatus.@Nullable Failure error =
        m.hasError() ? failure("result.error", m.getError()) : null;
    return new WorkResult(
        lease(m.getLease()),
        new WorkerId(m.getWorkerId()),
        m.getBackend(),
        codec.decode("result.output", m.getOutput()),
        error,
        m.getElapsedNanos(),
        io.poolforge.compute.api.Bytes.wrap(m.getSignature().toByteArray()),
        proof(m));
  }

  /**
   * Encodes a heartbeat.
   *
   * @param h the heartbeat
   * @return the message
   */
  public static io.poolforge.transport.grpc.v1.Heartbeat heartbeat(Heartbeat h) {
    return io.poolforge.transport.grpc.v1.Heartbeat.newBuilder()
        .setCpuLoad(h.cpuLoad())
        .setDeviceLoad(h.deviceLoad())
        .setFreeDeviceMemoryBytes(h.freeDeviceMemoryBytes())
        .setRunningTasks(h.runningTasks())
        .setQueuedTasks(h.queuedTasks())
        .build();
  }

  /**
   * Decodes a heartbeat.
   *
   * @param m the message
   * @return the heartbeat
   */
  public static Heartbeat heartbeat(io.poolforge.transport.grpc.v1.Heartbeat m) {
    return new Heartbeat(
        m.getCpuLoad(),
        m.getDeviceLoad(),
        m.getFreeDeviceMemoryBytes(),
        m.getRunningTasks(),
        m.getQueuedTasks());
  }
}
