package io.poolforge.benchmarks.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.core.verify.ResultSigner;
import io.poolforge.transport.grpc.GrpcWorkerTransport;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A worker process for the transport benchmarks: computes SHA-256 of each 64-byte payload and
 * returns it, signed with Ed25519, either over one stream with credit ("streaming") or with one
 * unary call per task ("unary").
 *
 * <p>Usage: {@code BenchWorker streaming|unary host:port token id window sign}; with {@code sign}
 * false the signature is 64 zero bytes (the transport does not verify signatures), which takes the
 * worker's Ed25519 cost out of a measurement of the transport.
 */
public final class BenchWorker {
  private BenchWorker() {}

  /**
   * Runs until killed.
   *
   * @param args mode, target, token, worker id, credit window
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String target = args[1];
    String token = args[2];
    String id = args[3];
    int window = Integer.parseInt(args[4]);
    boolean sign = Boolean.parseBoolean(args[5]);
    if (mode.equals("unary")) {
      unary(target, sign);
    } else {
      streaming(target, token, id, window, sign);
    }
  }

  private static void unary(String target, boolean sign) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    // the engine's own Ed25519 signer, as the streaming workers use, so the baseline does not
    // pay for a slower implementation
    ResultSigner signer = ResultSigner.of(new WorkerId("unary"), keys.getPrivate());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] request = new byte[0];
    while (true) {
      byte[] reply =
          ClientCalls.blockingUnaryCall(
              channel, NaiveUnaryService.NEXT, io.grpc.CallOptions.DEFAULT, request);
      if (reply.length < 8) {
        Thread.sleep(1);
        request = new byte[0];
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(reply);
      long task = b.getLong();
      byte[] payload = new byte[reply.length - 8];
      b.get(payload);
      byte[] hash = sha.digest(payload);
      byte[] sig = new byte[64];
      if (sign) {
        sig = signer.signBytes(hash).toByteArray();
      }
      request = ByteBuffer.allocate(8 + 32 + sig.length).putLong(task).put(hash).put(sig).array();
    }
  }

  private static void streaming(String target, String token, String id, int window, boolean sign)
      throws Exception {
    Bytes unsigned = Bytes.wrap(new byte[64]);
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    WorkerId worker = new WorkerId(id);
    ExecutorService compute = Executors.newSingleThreadExecutor();
    AtomicReference<@Nullable WorkerConnection> connection = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    ThreadLocal<MessageDigest> sha =
        ThreadLocal.withInitial(
            () -> {
              try {
                return MessageDigest.getInstance("SHA-256");
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
              }
            });
    ResultSigner resultSigner = ResultSigner.of(worker, keys.getPrivate());
    ConcurrentLinkedQueue<List<Assignment>> urgentBatches = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<List<Assignment>> normalBatches = new ConcurrentLinkedQueue<>();
    WorkerListener listener =
        new WorkerListener() {
          @Override
          public void onAssignments(List<Assignment> assignments) {
            // batches holding an urgent task run before the batches already waiting
            boolean hurry = false;
            for (Assignment a : assignments) {
              hurry |= a.priority() > Priority.NORMAL;
            }
            (hurry ? urgentBatches : normalBatches).add(assignments);
            compute.execute(
                () -> {
                  List<Assignment> next = urgentBatches.poll();
                  run(next != null ? next : normalBatches.poll());
                });
          }

          private void run(@Nullable List<Assignment> assignments) {
            if (assignments == null) {
              return;
            }
            List<WorkResult> results = new ArrayList<>(assignments.size());
            for (Assignment a : assignments) {
              long t0 = System.nanoTime();
              Bytes out = Bytes.wrap(sha.get().digest(a.payload().toByteArray()));
              results.add(
                  new WorkResult(
                      a.lease(), worker, "cpu", out, null, System.nanoTime() - t0, unsigned));
            }
            if (sign && !results.isEmpty()) {
              // one Ed25519 signature per batch, over the Merkle root of its results
              results = resultSigner.signBatch(results);
            }
            WorkerConnection c = connection.get();
            c.sendResults(results);
            c.grant(assignments.size());
          }

          @Override
          public void onRevoked(List<TaskId> tasks) {}

          @Override
          public void onClosed(io.poolforge.compute.api.@Nullable PoolException reason) {
            closed.countDown();
          }
        };
    GrpcWorkerTransport transport =
        GrpcWorkerTransport.builder(target).token(token).maxQueuedMessages(1_000_000).build();
    Registration registration =
        new Registration(
            new WorkerInfo(
                worker,
                "bench",
                "0xbench",
                Bytes.wrap(keys.getPublic().getEncoded()),
                new Capabilities(
                    Set.of("sha256"), Set.of("cpu"), List.of(), 0, 1, Set.of(), false)),
            null,
            List.of());
    WorkerConnection c = transport.connect(registration, listener);
    connection.set(c);
    c.grant(window);
    while (closed.getCount() > 0) {
      Thread.sleep(5000);
      c.heartbeat(new Heartbeat(0.5, 0, 0, 1, 0));
    }
  }
}
