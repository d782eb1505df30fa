package io.poolforge.benchmarks.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.store.jdbc.JdbcStores;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Companion to {@link DurableSubmitBenchmark} for shared, overloaded machines: group-commits task
 * records into a fresh SQLite store (WAL, {@code synchronous=FULL}) in rounds of 3 s and prints,
 * per round, the durable rows per second and the process CPU time per row (all threads, GC and the
 * background checkpointer included). The CPU time per row barely depends on what else the machine
 * runs, so it compares two versions of the store better than wall-clock rates do.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.poolforge.benchmarks.store.DurableSubmitCpuTime [group] [rounds]}.
 */
public final class DurableSubmitCpuTime {
  private DurableSubmitCpuTime() {}

  /**
   * Runs the measurement.
   *
   * @param args rows per insert (default 1000) and rounds (default 3)
   * @throws IOException if the temporary directory cannot be made
   */
  public static void main(String[] args) throws IOException {
    int group = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path dir = Files.createTempDirectory("poolforge-cpu");
    TaskSpec spec =
        TaskSpec.builder("sha256", Bytes.wrap(new byte[64]))
            .submitter("bench")
            .labels(Map.of("job", "bench"))
            .build();
    try (JdbcStores stores =
        JdbcStores.builder().url("jdbc:sqlite:" + dir.resolve("bench.db")).build()) {
      long id = stores.tasks().reserveIds(1_000_000);
      long limit = id + 1_000_000;
      for (int r = 0; r < rounds; r++) {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long rows = 0;
        while (System.nanoTime() - t0 < 3_000_000_000L) {
          if (id + group > limit) {
            id = stores.tasks().reserveIds(1_000_000);
            limit = id + 1_000_000;
          }
          List<TaskRecord> batch = new ArrayList<>(group);
          Instant now = Instant.now();
          for (int i = 0; i < group; i++) {
            batch.add(TaskRecord.queued(new TaskId(id++), spec, now));
          }
          stores.tasks().insert(batch);
          rows += group;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "group %d, round %d: %.0f durable rows/s, process CPU %.1f us/row%n",
            group, r, rows / seconds, (os.getProcessCpuTime() - cpu0) / 1e3 / rows);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
