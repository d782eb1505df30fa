package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.testing.TestKinds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The engine's live-task index: the map and the id order stay one. */
class LiveTasksTest {
  private final LiveTasks live = new LiveTasks();

  private static TaskEntry task(long id) {
    return new TaskEntry(
        new TaskId(id),
        TaskSpec.builder("echo", TestKinds.LONG.encode(0L)).build(),
        new TestKinds.Echo(),
        VerificationSpec.none(),
        1,
        Instant.EPOCH,
        null,
        0);
  }

  private static List<Long> ids(Iterable<TaskEntry> entries) {
    List<Long> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.id.value()));
    return out;
  }

  @Test
  void pagesInIdOrderFromACursor() {
    for (long id : new long[] {9000, 3, 4096, 4095, 1, 70}) {
      live.put(task(id));
    }
    assertThat(ids(live.after(0))).containsExactly(1L, 3L, 70L, 4095L, 4096L, 9000L);
    assertThat(ids(live.after(70))).containsExactly(4095L, 4096L, 9000L);
    assertThat(ids(live.after(9000))).isEmpty();
    assertThat(live.get(4095)).isNotNull();
  }

  @Test
  void conditionalRemoveLeavesAReplacementInPlace() {
    TaskEntry old = task(5);
    live.put(old);
    TaskEntry replacement = task(5);
    live.put(replacement); // a reload after re-election puts a new entry under the same id
    assertThat(live.remove(old)).isFalse();
    assertThat(live.get(5)).isSameAs(replacement);
    assertThat(ids(live.after(0))).containsExactly(5L);
    assertThat(live.remove(replacement)).isTrue();
    assertThat(live.get(5)).isNull();
    assertThat(ids(live.after(0))).isEmpty();
  }

  @Test
  void removeAllReturnsWhatItRemoved() {
    TaskEntry a = task(1);
    TaskEntry b = task(2);
    live.put(a);
    live.put(b);
    assertThat(live.removeAll()).containsExactlyInAnyOrder(a, b);
    assertThat(live.values()).isEmpty();
    assertThat(ids(live.after(0))).isEmpty();
    assertThat(live.removeAll()).isEmpty();
  }

  @Test
  void iterationSkipsEntriesRemovedDuringTheWalk() {
    for (long id = 1; id <= 100; id++) {
      live.put(task(id));
    }
    List<Long> seen = new ArrayList<>();
    for (TaskEntry e : live.after(0)) {
      seen.add(e.id.value());
      if (e.id.value() == 10) {
        for (long id = 11; id <= 100; id += 2) {
          live.remove(id);
        }
      }
    }
    assertThat(seen).startsWith(1L, 2L, 3L).contains(12L, 100L).doesNotContain(11L, 99L);
    assertThat(seen).isSorted().doesNotHaveDuplicates().hasSize(10 + 45);
  }

  /**
   * Rounds in which one thread puts fresh entries for a range of ids while another removes the
   * entries it finds there, the two walking the range side by side: after each round the order
   * lists exactly the ids that have an entry, and a reader paging meanwhile sees increasing ids.
   */
  @Test
  void racingPutsAndRemovesOfTheSameIdsKeepMapAndOrderAgreeing() throws Exception {
    int n = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      Future<?> reader =
          pool.submit(
              () -> {
                while (running.get()) {
                  long prev = 0;
                  for (TaskEntry e : live.after(0)) {
                    assertThat(e.id.value()).isGreaterThan(prev);
                    prev = e.id.value();
                  }
                  Thread.yield();
                }
                return null;
              });
      for (int round = 0; round < 6; round++) {
        for (long id = 1; id <= n; id++) {
          live.put(task(id));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> putter =
            pool.submit(
                () -> {
                  start.await();
                  for (long id = 1; id <= n; id++) {
                    live.put(task(id));
                  }
                  return null;
                });
        Future<?> remover =
            pool.submit(
                () -> {
                  start.await();
                  for (long id = 1; id <= n; id++) {
                    TaskEntry e = live.get(id);
                    if (e != null) {
                      live.remove(e);
                    }
                  }
                  return null;
                });
        putter.get(60, TimeUnit.SECONDS);
        remover.get(60, TimeUnit.SECONDS);
        List<Long> mapped = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
          if (live.get(id) != null) {
            mapped.add(id);
          }
        }
        // the walk skips (and repairs) ids without an entry, never the reverse
        assertThat(ids(live.after(0))).as("round %d", round).containsExactlyElementsOf(mapped);
        live.removeAll();
        assertThat(ids(live.after(0))).isEmpty();
      }
      running.set(false);
      reader.get(10, TimeUnit.SECONDS);
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
  }
}
