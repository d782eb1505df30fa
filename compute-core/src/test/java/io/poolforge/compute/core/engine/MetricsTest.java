package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void queueDepthAllocationCompletionsAndUtilizationAreRecorded() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestKinds.Echo echo = new TestKinds.Echo();
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .transport(transport.coordinator())
                .meterRegistry(registry)
                .tickInterval(Duration.ofMillis(5))
                .build()) {
      for (int i = 0; i < 3; i++) {
        pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode((long) i)).priority(8).build());
      }
      Eventually.until(
          "queue depth at priority 8",
          () -> registry.get("poolforge.queue.depth").tag("priority", "8").gauge().value() == 3);
      ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(4);
      for (int i = 0; i < 3; i++) {
        w.answerEcho(w.next());
      }
      TaskHandle h = pool.submit(echo, 9L);
      w.answerEcho(w.next());
      h.result().get(30, TimeUnit.SECONDS);
      Eventually.until(
          "completed counter",
          () -> registry.get("poolforge.tasks.completed").counter().count() == 4);
      assertThat(registry.get("poolforge.allocation").timer().count()).isPositive();
      assertThat(registry.get("poolforge.queue.depth").tag("priority", "8").gauge().value())
          .isZero();
      assertThat(registry.get("poolforge.workers").gauge().value()).isEqualTo(1);
      assertThat(registry.get("poolforge.workers.utilization").gauge().value()).isBetween(0.0, 1.0);
    }
    assertThat(registry.find("poolforge.tasks.completed").counter())
        .as("removed on close")
        .isNull();
  }
}
