package io.poolforge.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.TaskRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability on PostgreSQL: two coordinators (child JVMs) share one database; only the
 * holder of the leader lease schedules. The active one is killed with SIGKILL; the standby must
 * take over within 10 s, requeue what the dead one left running, and finish every task, with no
 * task completed twice.
 */
class HaFailoverTest {
  private static final int TASKS = 300;

  @TempDir Path dir;

  @Test
  void standbyTakesOverWithinTenSecondsAndNothingRunsTwice() throws Exception {
    String url = EmbeddedPg.newDatabase();
    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      long first = stores.tasks().reserveIds(TASKS);
      List<TaskRecord> batch = new ArrayList<>();
      TaskSpec spec = TaskSpec.builder("sha256", Bytes.wrap(new byte[8])).build();
      for (int i = 0; i < TASKS; i++) {
        batch.add(TaskRecord.queued(new TaskId(first + i), spec, Instant.now()));
      }
      stores.tasks().insert(batch);
    }
    try (ChildProcess a = ChildProcess.start(dir, "ha", url, "coord-a")) {
      a.awaitLines(l -> l.startsWith("LEADER "), 1, Duration.ofSeconds(60));
      try (ChildProcess b = ChildProcess.start(dir, "ha", url, "coord-b")) {
        b.awaitLines(l -> l.equals("STANDBY"), 1, Duration.ofSeconds(60));
        a.awaitLines(l -> l.startsWith("DONE "), 40, Duration.ofSeconds(60));
        Thread.sleep(300); // let b poll the held lease a few times
        assertThat(b.lines).noneMatch(l -> l.startsWith("LEADER "));

        a.kill();
        long killedAt = System.nanoTime();
        b.awaitLines(l -> l.startsWith("LEADER "), 1, Duration.ofSeconds(10));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(takeover).isLessThan(Duration.ofSeconds(10));

        long[] tokens = new long[] {token(a.lines), token(b.lines)};
        assertThat(tokens[1]).as("fencing token grows on takeover").isGreaterThan(tokens[0]);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
          while (System.nanoTime() < deadline && remaining(stores) > 0) {
            Thread.sleep(200);
          }
          assertThat(remaining(stores)).isZero();
          Map<Long, String> doneBy = new HashMap<>();
          for (ChildProcess c : List.of(a, b)) {
            for (String line : c.lines) {
              if (line.startsWith("DONE ")) {
                String[] p = line.split(" ");
                String before = doneBy.put(Long.parseLong(p[1]), p[2]);
                assertThat(before).as("task %s completed twice", p[1]).isNull();
              }
            }
          }
          assertThat(doneBy).hasSize(TASKS);
          for (Map.Entry<Long, String> e : doneBy.entrySet()) {
            TaskRecord r = stores.tasks().get(new TaskId(e.getKey())).orElseThrow();
            assertThat(r.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.worker().value()).isEqualTo(e.getValue());
          }
          System.out.println("takeover after SIGKILL: " + takeover.toMillis() + " ms");
        }
      }
    }
  }

  private static long token(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("LEADER "))
        .mapToLong(l -> Long.parseLong(l.split(" ")[1]))
        .max()
        .orElseThrow();
  }

  private static int remaining(JdbcStores stores) {
    int[] n = {0};
    stores.tasks().forEachUnfinished(r -> n[0]++);
    return n[0];
  }
}
