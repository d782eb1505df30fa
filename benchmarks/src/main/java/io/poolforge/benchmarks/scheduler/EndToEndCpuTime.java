package io.poolforge.benchmarks.scheduler;

import com.sun.management.OperatingSystemMXBean;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The end-to-end workload of {@link EndToEndBenchmark#throughput} (no-op kind, 64 workers,
 * in-memory store, verification off, every result batch signed and checked), measured as this
 * process's CPU time per completed task instead of wall time. On a machine shared with other builds
 * wall time swings with their load; CPU per task moves far less, and {@code cores / (CPU per task)}
 * bounds what the same code can do on an idle machine with that many cores.
 *
 * <p>Usage: {@code EndToEndCpuTime [window] [rounds]} (defaults 1024 and 9). Prints one line per
 * round and the median. Each round submits 200 bursts of 1,000 tasks and awaits each burst, as the
 * JMH benchmark does; the first 3 rounds are warm-up and not counted. It also prints the heap
 * allocated per task (all threads), which moves much less with the machine's load than time does.
 */
public final class EndToEndCpuTime {
  private static final Bytes INPUT = NoopKind.INSTANCE.inputCodec().encode(7L);
  private static final int BURST = 1_000;
  private static final int BURSTS = 200;

  private EndToEndCpuTime() {}

  public static void main(String[] args) {
    int window = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<TaskSpec> burst = new ArrayList<>(BURST);
    for (int i = 0; i < BURST; i++) {
      burst.add(TaskSpec.builder("noop", INPUT).build());
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[] cpuMicros = new double[rounds];
    double[] allocated = new double[rounds];
    double[] wallRate = new double[rounds];
    try (InProcessPool pool = new InProcessPool(64, window)) {
      for (int w = 0; w < 3; w++) {
        run(pool, burst);
      }
      for (int r = 0; r < rounds; r++) {
        long cpu0 = os.getProcessCpuTime();
        long heap0 = threads.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        run(pool, burst);
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long heap = threads.getTotalThreadAllocatedBytes() - heap0;
        int tasks = BURST * BURSTS;
        cpuMicros[r] = cpu / 1_000.0 / tasks;
        allocated[r] = (double) heap / tasks;
        wallRate[r] = tasks / (wall / 1e9);
        System.out.printf(
            Locale.ROOT,
            "round %d: %.2f us CPU per task, %.0f B allocated per task, %.0f tasks/s wall,"
                + " load %.1f%n",
            r,
            cpuMicros[r],
            allocated[r],
            wallRate[r],
            os.getSystemLoadAverage());
      }
    }
    Arrays.sort(cpuMicros);
    Arrays.sort(wallRate);
    Arrays.sort(allocated);
    double median = cpuMicros[rounds / 2];
    System.out.printf(
        Locale.ROOT,
        "window %d: median %.2f us CPU per task (bound on an idle %d-core machine: %.0f tasks/s);"
            + " median wall %.0f tasks/s; median %.0f B allocated per task%n",
        window,
        median,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors() * 1e6 / median,
        wallRate[rounds / 2],
        allocated[rounds / 2]);
  }

  private static void run(InProcessPool pool, List<TaskSpec> burst) {
    for (int b = 0; b < BURSTS; b++) {
      List<CompletableFuture<?>> futures = new ArrayList<>(BURST);
      for (TaskHandle h : pool.pool.submitAll(burst)) {
        futures.add(h.result());
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
  }
}
