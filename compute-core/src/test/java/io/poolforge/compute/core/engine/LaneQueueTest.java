package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.testing.TestKinds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Priorities, FIFO, the aging bound and weighted fair share of one lane's queue. */
class LaneQueueTest {
  private static final long STEP = 1000;
  private final Map<String, Integer> weights = new HashMap<>();
  private final LaneQueue queue = new LaneQueue(STEP, s -> weights.getOrDefault(s, 1));
  private long nextId = 1;

  private TaskEntry task(int priority, String submitter) {
    TaskSpec spec =
        TaskSpec.builder("echo", TestKinds.LONG.encode(0L))
            .priority(priority)
            .submitter(submitter)
            .build();
    return new TaskEntry(
        new TaskId(nextId++),
        spec,
        new TestKinds.Echo(),
        VerificationSpec.none(),
        1,
        Instant.EPOCH,
        null,
        0);
  }

  @Test
  void higherPriorityFirstFifoWithinALevel() {
    TaskEntry low1 = task(Priority.LOW, "s");
    TaskEntry high1 = task(Priority.HIGH, "s");
    TaskEntry low2 = task(Priority.LOW, "s");
    TaskEntry high2 = task(Priority.HIGH, "s");
    for (TaskEntry t : List.of(low1, high1, low2, high2)) {
      queue.push(t, 0);
    }
    assertThat(List.of(queue.poll(0), queue.poll(0), queue.poll(0), queue.poll(0)))
        .containsExactly(high1, high2, low1, low2);
    assertThat(queue.poll(0)).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void agedTaskIsServedBeforeEveryLaterTaskWithinTheStatedBound() {
    // A MIN-priority task, then a steady stream of MAX-priority work that would starve it.
    TaskEntry starving = task(Priority.MIN, "s");
    queue.push(starving, 0);
    long bound = (Priority.MAX - Priority.MIN) * STEP;
    long now = 0;
    List<TaskEntry> servedBeforeIt = new ArrayList<>();
    TaskEntry served;
    while (true) {
      queue.push(task(Priority.MAX, "s"), now);
      served = queue.poll(now);
      if (served == starving) {
        break;
      }
      servedBeforeIt.add(served);
      now += 100; // one MAX task arrives and one is served every 100 ms
      assertThat(now).as("starved past the bound").isLessThanOrEqualTo(bound);
    }
    assertThat(now).isEqualTo(bound);
    // and not earlier: it waited exactly until it reached the top level
    assertThat(servedBeforeIt).hasSize((int) (bound / 100));
  }

  @Test
  void withoutAgingLowPriorityWaits() {
    TaskEntry low = task(Priority.MIN, "s");
    queue.push(low, 0);
    TaskEntry high = task(Priority.MAX, "s");
    queue.push(high, 0);
    assertThat(queue.poll(STEP * 8)).isSameAs(high); // aged to 8 < 9: still behind
  }

  @Test
  void submittersShareALevelByWeight() {
    weights.put("big", 3);
    for (int i = 0; i < 400; i++) {
      queue.push(task(Priority.NORMAL, "big"), 0);
      queue.push(task(Priority.NORMAL, "small"), 0);
    }
    for (int i = 0; i < 200; i++) {
      queue.push(task(Priority.NORMAL, "flood"), 0);
    }
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      served.merge(queue.poll(0).spec.submitter(), 1, Integer::sum);
    }
    // weights 3:1:1 over 500 picks -> 300 : 100 : 100
    assertThat(served.get("big")).isBetween(295, 305);
    assertThat(served.get("small")).isBetween(95, 105);
    assertThat(served.get("flood")).isBetween(95, 105);
  }

  @Test
  void removedAndReturnedTasksKeepCountsRight() {
    TaskEntry a = task(Priority.NORMAL, "s");
    TaskEntry b = task(Priority.NORMAL, "s");
    queue.push(a, 0);
    queue.push(b, 0);
    queue.remove(a);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.poll(0)).isSameAs(b);
    queue.pushFront(b);
    assertThat(queue.topPriority(0)).isEqualTo(Priority.NORMAL);
    assertThat(queue.poll(0)).isSameAs(b);
    assertThat(queue.poll(0)).isNull();
    assertThat(queue.topPriority(0)).isEqualTo(-1);
  }
}
