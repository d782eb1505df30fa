package io.poolforge.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Kind;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * High availability on PostgreSQL with the real engine: two {@code Coordinator}s ({@link
 * HaPoolChild}, each in its own JVM with a real in-process {@code WorkerNode}) share one database,
 * its leader lease and its ledger. The leader is killed with SIGKILL mid-run; the standby must take
 * the lease over within 10 s, reload what the dead one left unfinished, and finish every task. No
 * task that was durably completed runs again, every task ends COMPLETED with its right result, and
 * the ledger credits each task exactly once.
 */
class HaFailoverTest {
  private static final int TASKS = 400;

  @TempDir Path dir;

  @Test
  void standbyCoordinatorTakesOverWithinTenSecondsAndNothingCompletesTwice() throws Exception {
    Sha256Kind kind = BuiltinKinds.sha256();
    String url = EmbeddedPg.newDatabase();
    BigInteger totalCost = BigInteger.ZERO;
    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      long first = stores.tasks().reserveIds(TASKS);
      List<TaskRecord> batch = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        var input = PoolChild.input(i);
        TaskSpec spec = TaskSpec.builder(Sha256Kind.ID, kind.inputCodec().encode(input)).build();
        batch.add(TaskRecord.queued(new TaskId(first + i), spec, Instant.now()));
        totalCost = totalCost.add(BigInteger.valueOf(kind.costUnits(input)));
      }
      stores.tasks().insert(batch);
    }
    try (ChildProcess a = ChildProcess.start(dir, HaPoolChild.class, url, "coord-a")) {
      a.awaitLines(l -> l.startsWith("LEADER "), 1, Duration.ofSeconds(60));
      try (ChildProcess b = ChildProcess.start(dir, HaPoolChild.class, url, "coord-b")) {
        b.awaitLines(l -> l.equals("STANDBY"), 1, Duration.ofSeconds(60));
        a.awaitLines(l -> l.startsWith("DONE "), 40, Duration.ofSeconds(60));
        assertThat(b.lines).as("the standby waits").noneMatch(l -> l.startsWith("LEADER "));
        assertThat(b.lines).as("the standby runs nothing").noneMatch(l -> l.startsWith("DONE "));

        a.kill();
        long killedAt = System.nanoTime();
        Set<Long> durableBeforeKill;
        try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
          durableBeforeKill = ids(stores, TaskState.COMPLETED);
        }
        b.awaitLines(l -> l.startsWith("LEADER "), 1, Duration.ofSeconds(10));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(takeover).isLessThan(Duration.ofSeconds(10));
        assertThat(token(b.lines))
            .as("fencing token grows on takeover")
            .isGreaterThan(token(a.lines));
        assertThat(durableBeforeKill)
            .as("the kill came mid-run")
            .isNotEmpty()
            .hasSizeLessThan(TASKS);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
          while (System.nanoTime() < deadline && ids(stores, TaskState.COMPLETED).size() < TASKS) {
            Thread.sleep(200);
          }
          assertThat(ids(stores, TaskState.COMPLETED)).hasSize(TASKS);
          Thread.sleep(500); // b's last credits, committed before their completions
          Set<Long> ranByB = new HashSet<>();
          for (String line : b.lines) {
            if (line.startsWith("DONE ")) {
              ranByB.add(Long.parseLong(line.substring(5)));
            }
          }
          assertThat(ranByB)
              .as("tasks durably completed before the kill never run again")
              .doesNotContainAnyElementsOf(durableBeforeKill);
          for (long id : ids(stores, TaskState.COMPLETED)) {
            TaskRecord r = stores.tasks().get(new TaskId(id)).orElseThrow();
            var expected =
                kind.outputCodec()
                    .encode(Sha256Kind.compute(kind.inputCodec().decode(r.spec().payload())));
            assertThat(r.result()).as("result of t-%d", id).isEqualTo(expected);
            assertThat(r.worker().value())
                .isEqualTo(durableBeforeKill.contains(id) ? "worker-coord-a" : "worker-coord-b");
          }
          Map<String, BigInteger> totals =
              stores.ledger().cumulativeTotals(stores.ledger().openEpoch());
          BigInteger credited =
              totals
                  .getOrDefault(HaPoolChild.payout("coord-a"), BigInteger.ZERO)
                  .add(totals.getOrDefault(HaPoolChild.payout("coord-b"), BigInteger.ZERO));
          assertThat(credited).as("every task credited exactly once").isEqualTo(totalCost);
          System.out.printf(
              "takeover after SIGKILL: %d ms; %d tasks durable before the kill, %d run by b%n",
              takeover.toMillis(), durableBeforeKill.size(), ranByB.size());
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

  private static Set<Long> ids(JdbcStores stores, TaskState state) {
    Set<Long> out = new HashSet<>();
    String cursor = null;
    do {
      Page<TaskRecord> page = stores.tasks().list(state, cursor, 5_000);
      page.items().forEach(r -> out.add(r.id().value()));
      cursor = page.nextCursor();
    } while (cursor != null);
    return out;
  }
}
