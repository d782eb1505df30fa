package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batch sizes follow each worker's measured time per task and are re-learned on drift. */
class AdaptiveBatchingTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final Pool pool =
      Coordinator.builder()
          .kind(echo)
          .transport(transport.coordinator())
          .targetBatch(Duration.ofMillis(10))
          .initialBatch(4)
          .maxBatch(200)
          .build();

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  @Test
  void tinyTasksGoInLargeBatchesHeavyOnesOneAtATime() throws Exception {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      specs.add(TaskSpec.builder("echo", TestKinds.LONG.encode((long) i)).build());
    }
    pool.submitAll(specs);
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(4);
    Eventually.until("first batch", () -> w.batchSizes.size() == 1);
    assertThat(w.batchSizes).as("unmeasured: the initial batch").containsExactly(4);
    for (int i = 0; i < 4; i++) {
      w.answerEcho(w.next(), 2_000); // 2 us per task
    }
    w.grant(1000);
    // 10 ms / 2 us = 5000 per batch, capped at maxBatch: the 1000 credits go as 5 x 200, less
    // the one credit kept for an urgent task
    Eventually.until("tiny batches", () -> w.batchSizes.size() == 6);
    assertThat(w.batchSizes.subList(1, 6)).containsExactly(200, 200, 200, 200, 199);

    // the tasks turn heavy (drift): one 50 ms result restarts the estimate
    w.answerEcho(w.next(), 50_000_000);
    w.grant(3);
    Eventually.until("heavy batches", () -> w.batchSizes.size() == 9);
    assertThat(w.batchSizes.subList(6, 9)).containsOnly(1);
  }
}
