package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerSession;
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
 * <p>Usage: {@code BenchCoordinator token}
 */
public final class BenchCoordinator {
  private BenchCoordinator() {}

  /**
   * Runs until stdin closes.
   *
   * @param args the worker token
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    AtomicLong heartbeats = new AtomicLong();
    AtomicLong sessions = new AtomicLong();
    GrpcCoordinatorTransport t =
        GrpcCoordinatorTransport.builder().host("127.0.0.1").workerTokens(Set.of(args[0])).build();
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
                + heartbeats.get()
                + " "
                + sessions.get()
                + " "
                + t.connectedWorkers());
        System.out.flush();
      }
    }
    t.close();
  }
}
