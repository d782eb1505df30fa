package io.poolforge.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.TaskRecord;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged submission survives kill -9 of the coordinator: a child JVM group-commits
 * submissions, completes and credits older ones, and is killed with SIGKILL twice mid-run; a
 * restart on the same store then recovers. Every acknowledged task must be there exactly once, end
 * COMPLETED, and be credited exactly once, with totals equal to the credits.
 */
class CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void sqliteKeepsEveryAcknowledgedSubmission() throws Exception {
    crashAndRecover("jdbc:sqlite:" + dir.resolve("crash.db"));
  }

  @Test
  void postgresKeepsEveryAcknowledgedSubmission() throws Exception {
    crashAndRecover(EmbeddedPg.newDatabase());
  }

  private void crashAndRecover(String url) throws Exception {
    Set<Long> acknowledged = new HashSet<>();
    for (int round = 0; round < 2; round++) {
      try (ChildProcess child = ChildProcess.start(dir, "crash", url)) {
        child.awaitLines(l -> l.startsWith("ACK "), 6 + round * 2, Duration.ofSeconds(60));
        child.awaitLines(l -> l.startsWith("COMPLETED "), 2, Duration.ofSeconds(60));
        child.kill();
        assertThat(child.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        for (String line : child.lines) {
          if (line.startsWith("ACK ")) {
            String[] p = line.split(" ");
            long first = Long.parseLong(p[1]);
            for (long id = first; id < first + Integer.parseInt(p[2]); id++) {
              assertThat(acknowledged.add(id)).as("id %d acknowledged twice", id).isTrue();
            }
          }
        }
      }
      // after each crash: every acknowledged task is stored, exactly once, in one state
      try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
        Map<Long, TaskState> all = allTasks(stores);
        assertThat(all.keySet()).containsAll(acknowledged);
      }
    }

    // the last restart recovers and drains the queue; run in this JVM to save a JVM start
    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      ChildCoordinator.finish(stores, new java.io.PrintStream(printed, true));
      assertThat(printed.toString()).startsWith("FINISHED ");
    }

    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      Map<Long, TaskState> all = allTasks(stores);
      assertThat(all.keySet()).containsAll(acknowledged);
      assertThat(all.values()).containsOnly(TaskState.COMPLETED);
      // each completed task was credited exactly once: crediting them all again adds nothing
      List<CreditRecord> again = new ArrayList<>();
      Map<String, BigInteger> expected = new TreeMap<>();
      String cursor = null;
      do {
        Page<TaskRecord> page = stores.tasks().list(TaskState.COMPLETED, cursor, 5_000);
        for (TaskRecord r : page.items()) {
          CreditRecord c = ChildCoordinator.creditOf(r);
          again.add(c);
          expected.merge(c.payoutAddress(), c.amount(), BigInteger::add);
        }
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(stores.ledger().credit(again)).isEmpty();
      assertThat(stores.ledger().cumulativeTotals(0)).isEqualTo(expected);
    }
  }

  private static Map<Long, TaskState> allTasks(JdbcStores stores) {
    Map<Long, TaskState> all = new HashMap<>();
    for (TaskState s : TaskState.values()) {
      String cursor = null;
      do {
        Page<TaskRecord> page = stores.tasks().list(s, cursor, 5_000);
        for (TaskRecord r : page.items()) {
          assertThat(all.put(r.id().value(), s)).as("task %s stored twice", r.id()).isNull();
        }
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    return all;
  }
}
