package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the heap that queued tasks take: a pool with no workers and no store, {@code n} tasks
 * submitted (all sharing one 8-byte payload, so payloads are excluded), then heap used after GC
 * compared with before. Run in its own JVM: {@code java -cp benchmarks.jar
 * io.poolforge.benchmarks.scheduler.QueueMemoryProbe 1000000 results/queue-memory.json}.
 *
 * <p>Not thread-safe; a command-line tool.
 *
 * @since 0.1.0
 */
public final class QueueMemoryProbe {
  private QueueMemoryProbe() {}

  /**
   * Runs the probe.
   *
   * @param args task count, then an optional JSON output path
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Bytes payload = NoopKind.INSTANCE.inputCodec().encode(1L);
    TaskSpec spec = TaskSpec.builder("noop", payload).build();
    try (Pool pool =
        Coordinator.builder()
            .kind(NoopKind.INSTANCE)
            .defaultVerification(VerificationSpec.none())
            .maxQueuedTasks(n)
            .build()) {
      long before = usedAfterGc(memory);
      List<TaskSpec> batch = new ArrayList<>(10_000);
      for (int i = 0; i < 10_000; i++) {
        batch.add(spec);
      }
      for (int i = 0; i < n; i += 10_000) {
        pool.submitAll(i + 10_000 <= n ? batch : batch.subList(0, n - i));
      }
      while (pool.query(TaskState.QUEUED, null, 1).items().isEmpty()) {
        Thread.sleep(10);
      }
      Thread.sleep(2000); // let the scheduler admit everything
      long after = usedAfterGc(memory);
      long used = after - before;
      String json =
          String.format(
              "{\"tasks\": %d, \"heapBytes\": %d, \"bytesPerTask\": %.1f, \"maxHeapBytes\": %d}%n",
              n, used, (double) used / n, Runtime.getRuntime().maxMemory());
      System.out.print(json);
      if (args.length > 1) {
        Files.writeString(Path.of(args[1]), json);
      }
    }
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
