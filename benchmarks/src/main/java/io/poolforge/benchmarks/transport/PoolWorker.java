package io.poolforge.benchmarks.transport;

import io.poolforge.backend.cpu.CpuBackendProvider;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.worker.WorkerNode;
import io.poolforge.transport.grpc.GrpcWorkerTransport;
import java.io.InputStream;

/**
 * A worker process of {@link TinyTaskBenchmark}'s {@code pool} mode: a real {@link WorkerNode} on
 * the gRPC worker transport, running the {@code sha256} kind on the CPU backend. It signs every
 * result batch (one Ed25519 signature over the batch's Merkle root), as every worker does.
 *
 * <p>Usage: {@code PoolWorker host:port token id window slots cpu|inline [urgentLane]}: {@code cpu}
 * is the CPU backend (backend-cpu), {@code inline} the kind's own code on the runner thread ({@link
 * InlineSha256Backend}); {@code urgentLane} (default true) whether the gRPC transport opens the
 * urgent lane the coordinator offers. It runs until its standard input closes (the benchmark's
 * end), then drains and exits.
 */
public final class PoolWorker {
  private PoolWorker() {}

  /**
   * Runs one worker until standard input closes.
   *
   * @param args target, token, worker id, credit window, slots, backend, urgent lane (optional),
   *     urgent lane target (optional)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String target = args[0];
    String token = args[1];
    String id = args[2];
    int window = Integer.parseInt(args[3]);
    int slots = Integer.parseInt(args[4]);
    boolean inline = args[5].equals("inline");
    boolean urgentLane = args.length < 7 || Boolean.parseBoolean(args[6]);
    GrpcWorkerTransport transport =
        GrpcWorkerTransport.builder(target)
            .token(token)
            .maxQueuedMessages(1_000_000)
            .urgentLane(urgentLane)
            .urgentLaneTarget(args.length < 8 ? target : args[7])
            .build();
    // one backend thread per slot: on a 2-core machine shared by four workers, more only contend
    ComputeBackend cpu =
        inline ? new InlineSha256Backend() : new CpuBackendProvider(slots).create();
    WorkerNode node =
        WorkerNode.builder()
            .id(id)
            .transport(transport)
            .kind(BuiltinKinds.sha256())
            .backend(cpu)
            .slots(slots)
            .window(window)
            .build()
            .start();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // the benchmark holds our stdin open while it runs
    }
    node.close(); // drains: by now the benchmark has no work left in flight
    transport.close();
    cpu.close();
    System.exit(0);
  }
}
