package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat does not wake the scheduler's loop: it waits, in order with everything else, for the
 * loop's next wake-up, which is at the latest the next tick.
 */
class QuietHeartbeatTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private PoolEngine pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
    transport.close();
  }

  private Scheduler start(Duration tick) {
    pool =
        (PoolEngine)
            Coordinator.builder()
                .kind(echo)
                .transport(transport.coordinator())
                .tickInterval(tick)
                .build();
    return pool.scheduler();
  }

  private ScriptedWorker join(Scheduler scheduler) {
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo"));
    Eventually.until("the worker joined", () -> pool.workers().size() == 1);
    Eventually.until("the loop is idle", () -> scheduler.waiting() == 0 && scheduler.isParked());
    return w;
  }

  @Test
  void aHeartbeatWaitsForTheLoopsNextWakeUpAndIsNotLost() throws Exception {
    Scheduler scheduler = start(Duration.ofSeconds(10));
    ScriptedWorker w = join(scheduler);

    w.heartbeat();
    Eventually.until("the heartbeat reached the inbox", () -> scheduler.waiting() == 1);
    Thread.sleep(200);
    assertThat(scheduler.waiting()).as("nothing woke the loop for it").isEqualTo(1);
    assertThat(scheduler.isParked()).isTrue();

    assertThat(scheduler.heartbeatsHandled()).isZero();

    scheduler.post(() -> {});
    Eventually.until("the next command runs it too", () -> scheduler.heartbeatsHandled() == 1);
  }

  @Test
  void aHeartbeatAloneIsHandledByTheNextTick() {
    Scheduler scheduler = start(Duration.ofMillis(20));
    ScriptedWorker w = join(scheduler);
    for (int i = 1; i <= 5; i++) {
      w.heartbeat();
      long n = i;
      Eventually.until("handled at a tick", () -> scheduler.heartbeatsHandled() == n);
    }
  }
}
