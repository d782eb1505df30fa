package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One credit of a worker with a window of 16 or more is kept back from normal tasks, so an urgent
 * task (priority HIGH or above) is assigned at once even when normal work has filled the window.
 */
class UrgentReserveTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final Pool pool =
      Coordinator.builder().kind(echo).transport(transport.coordinator()).initialBatch(64).build();

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  private static List<TaskSpec> normal(int n) {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(TaskSpec.builder("echo", TestKinds.LONG.encode((long) i)).build());
    }
    return specs;
  }

  @Test
  void anUrgentTaskUsesTheReservedCreditWhenNormalWorkFillsTheWindow() throws Exception {
    pool.submitAll(normal(100));
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(20);
    for (int i = 0; i < 19; i++) {
      assertThat(w.next().priority()).isEqualTo(Priority.NORMAL);
    }
    assertThat(w.poll(200)).as("the twentieth credit is kept for an urgent task").isNull();

    TaskHandle urgent =
        pool.submit(
            TaskSpec.builder("echo", TestKinds.LONG.encode(7L)).priority(Priority.MAX).build());
    Assignment a = w.next();
    assertThat(a.lease().task()).as("assigned without new credit").isEqualTo(urgent.id());
    assertThat(a.priority()).isEqualTo(Priority.MAX);
    w.answerEcho(a);
    assertThat(urgent.result().get(10, TimeUnit.SECONDS).output())
        .isEqualTo(TestKinds.LONG.encode(8L));
  }

  @Test
  void aSmallWindowKeepsNothingBack() throws Exception {
    pool.submitAll(normal(100));
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(8);
    Eventually.until("all eight credits used", () -> w.assigned.size() == 8);
  }
}
