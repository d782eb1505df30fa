package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.core.verify.ResultSigner;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A worker driven step by step by a test over a real transport: it records what it is assigned and
 * answers only when told, with properly signed results (or deliberately bad ones).
 */
public final class ScriptedWorker implements AutoCloseable {
  public final WorkerId id;
  public final KeyPair keys;
  public final LinkedBlockingQueue<Assignment> assigned = new LinkedBlockingQueue<>();
  public final List<TaskId> revoked = new CopyOnWriteArrayList<>();
  public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  public volatile @Nullable PoolException closedWith;
  public volatile boolean closed;
  private final WorkerConnection connection;

  public ScriptedWorker(WorkerTransport transport, String id, String owner, Set<String> kinds) {
    this(transport, id, owner, kinds, newKeys());
  }

  public ScriptedWorker(
      WorkerTransport transport, String id, String owner, Set<String> kinds, KeyPair keys) {
    this(transport, id, owner, kinds, keys, List.of());
  }

  /** A worker that registers presenting {@code held} leases, as one that reconnects does. */
  public ScriptedWorker(
      WorkerTransport transport,
      String id,
      String owner,
      Set<String> kinds,
      KeyPair keys,
      List<LeaseRef> held) {
    this.id = new WorkerId(id);
    this.keys = keys;
    WorkerInfo info =
        new WorkerInfo(
            this.id,
            owner,
            "pay-" + id,
            Bytes.wrap(keys.getPublic().getEncoded()),
            new Capabilities(kinds, Set.of("test-cpu"), List.of(), 1L << 30, 1, Set.of(), false));
    this.connection =
        transport.connect(
            new Registration(info, null, held),
            new WorkerListener() {
              @Override
              public void onAssignments(List<Assignment> assignments) {
                batchSizes.add(assignments.size());
                assigned.addAll(assignments);
              }

              @Override
              public void onRevoked(List<TaskId> tasks) {
                revoked.addAll(tasks);
              }

              @Override
              public void onClosed(@Nullable PoolException reason) {
                closedWith = reason;
                closed = true;
              }
            });
  }

  public static KeyPair newKeys() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public ScriptedWorker grant(int n) {
    connection.grant(n);
    return this;
  }

  public void heartbeat() {
    connection.heartbeat(new Heartbeat(0.1, 0, 1L << 30, 0, 0));
  }

  public Assignment next() throws InterruptedException {
    Assignment a = assigned.poll(30, TimeUnit.SECONDS);
    if (a == null) {
      throw new AssertionError(id + " got no assignment");
    }
    return a;
  }

  public @Nullable Assignment poll(long millis) throws InterruptedException {
    return assigned.poll(millis, TimeUnit.MILLISECONDS);
  }

  public WorkResult result(Assignment a, Bytes output) {
    return signed(a, output, null, keys);
  }

  public WorkResult signed(
      Assignment a, Bytes output, TaskStatus.@Nullable Failure error, KeyPair signer) {
    return signed(a, output, error, signer, 1000);
  }

  /** A result that reports {@code elapsedNanos} of work on the worker. */
  public WorkResult signed(
      Assignment a,
      Bytes output,
      TaskStatus.@Nullable Failure error,
      KeyPair signer,
      long elapsedNanos) {
    return ResultSigner.of(id, signer.getPrivate())
        .sign(a.lease(), "test-cpu", output, error, elapsedNanos);
  }

  /** Signs results as one batch (one signature over their Merkle root), as a WorkerNode does. */
  public List<WorkResult> signBatch(List<WorkResult> results) {
    return ResultSigner.of(id, keys.getPrivate()).signBatch(results);
  }

  public void send(List<WorkResult> results) {
    connection.sendResults(results);
  }

  public void send(WorkResult... results) {
    connection.sendResults(List.of(results));
  }

  /** Answers an echo assignment correctly, reporting how long it took. */
  public void answerEcho(Assignment a, long elapsedNanos) {
    long in = TestKinds.LONG.decode(a.payload());
    send(signed(a, TestKinds.LONG.encode(in + 1), null, keys, elapsedNanos));
  }

  /** Answers an echo assignment correctly. */
  public void answerEcho(Assignment a) {
    long in = TestKinds.LONG.decode(a.payload());
    send(result(a, TestKinds.LONG.encode(in + 1)));
  }

  public void checkpoint(Assignment a, Bytes state) {
    connection.checkpoint(a.lease(), state);
  }

  @Override
  public void close() {
    connection.close();
  }
}
