package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import java.time.Instant;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FinishedTasksTest {
  private static TaskStatus done(long id) {
    Instant at = Instant.EPOCH;
    return new TaskStatus(
        new TaskId(id),
        "echo",
        TaskState.COMPLETED,
        Priority.NORMAL,
        "anonymous",
        1,
        at,
        at,
        null,
        null);
  }

  @Test
  void cacheKeepsTheLastFinishedInFinishOrder() {
    FinishedTasks f = new FinishedTasks(100, false);
    // finish out of id order: eviction follows finish order, not ids
    long[] order = LongStream.rangeClosed(1, 250).map(i -> (i * 97) % 251).toArray();
    for (long id : order) {
      f.add(done(id));
    }
    for (int i = 0; i < order.length; i++) {
      boolean kept = f.get(order[i]) != null;
      assertThat(kept).as("id %d finished %d-th", order[i], i).isEqualTo(i >= 150);
    }
    assertThatThrownBy(() -> f.after(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sortedKeepsTheHighestIdsAndPagesInOrder() {
    FinishedTasks f = new FinishedTasks(3, true);
    for (long id : new long[] {5, 1, 9, 7, 2}) {
      f.add(done(id));
    }
    assertThat(f.after(0)).extracting(s -> s.id().value()).containsExactly(5L, 7L, 9L);
    assertThat(f.after(5)).extracting(s -> s.id().value()).containsExactly(7L, 9L);
  }

  @Test
  void zeroRetentionKeepsNothingAndAddingTwiceCountsOnce() {
    FinishedTasks none = new FinishedTasks(0, false);
    none.add(done(1));
    assertThat(none.get(1)).isNull();
    FinishedTasks two = new FinishedTasks(2, false);
    two.add(done(1));
    two.add(done(1));
    two.add(done(2));
    assertThat(two.get(1)).isNotNull();
    assertThat(two.get(2)).isNotNull();
  }
}
