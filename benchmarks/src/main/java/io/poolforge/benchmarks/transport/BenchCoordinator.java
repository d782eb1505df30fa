package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.transport.grpc.GrpcCoordinatorTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A coordinator process for {@link ManyWorkersHarness}: accepts workers over gRPC, counts their
 * heartbeats, and answers "stats" on stdin with its heap after GC, process CPU time and counts.
 *
 * <p>Usage: {@code BenchCoordinator token [transport|engine]}. {@code transport} (the default here;
 * the harness passes its own mode, {@code engine} unless told otherwise) measures the gRPC
 * transport alone: each worker's session only counts its heartbeats. {@code engine} runs a real
 * {@link Coordinator} (the engine with its scheduler, no task store, verification off) on the
 * transport, so a heartbeat costs what it costs in a real pool.
 */
public final class BenchCoordinator {
  private BenchCoordinator() {}

  /**
   * Runs until stdin closes.
   *
   * @param args the worker token, then the mode
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean engine = args.length > 1 && args[1].equals("engine");
    AtomicLong heartbeats = new AtomicLong();
    AtomicLong sessions = new AtomicLong();
    GrpcCoordinatorTransport t =
        GrpcCoordinatorTransport.builder().host("127.0.0.1").workerTokens(Set.of(args[0])).build();
    @Nullable CountingTransport counting = null;
    @Nullable Pool pool = null;
    if (engine) {
      counting = new CountingTransport(t);
      pool =
          Coordinator.builder()
              .kind(BuiltinKinds.sha256())
              .transport(counting)
              .defaultVerification(VerificationSpec.none())
              .build();
    } else {
      t.start(
          (registration, channel) -> {
            sessions.incrementAndGet();
            return new WorkerSession() {
              @Override
              public void onCredit(int credits) {}

              @Override
              public void onResults(List<WorkResult> results) {}

              @Override
              public void onHeartbeat(Heartbeat heartbeat) {
                heartbeats.incrementAndGet();
              }

              @Override
              public void onCheckpoint(LeaseRef lease, Bytes state) {}

              @Override
              public void onClosed(@Nullable PoolException reason) {
                sessions.decrementAndGet();
              }
            };
          });
    }
    System.out.println("PORT " + t.port());
    System.out.flush();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("stats")) {
        long cpu = os.getProcessCpuTime();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println(
            "STATS "
                + cpu
                + " "
                + heap
                + " "
                + (counting != null ? counting.heartbeats.sum() : heartbeats.get())
                + " "
                + (pool != null ? pool.workers().size() : sessions.get())
                + " "
                + t.connectedWorkers());
        System.out.flush();
      }
    }
    if (pool != null) {
      pool.close();
    }
    t.close();
  }
}
