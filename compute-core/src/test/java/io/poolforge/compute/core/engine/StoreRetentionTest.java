package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Coordinator.builder().storeRetention}: finished tasks leave the store after it. */
class StoreRetentionTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final InMemoryTaskStore store = new InMemoryTaskStore();
  private Pool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
    transport.close();
  }

  private List<TaskHandle> runTen(Duration retention) throws Exception {
    pool =
        Coordinator.builder()
            .kind(echo)
            .transport(transport.coordinator())
            .taskStore(store)
            .storeRetention(retention)
            .build();
    ScriptedWorker w = new ScriptedWorker(transport.worker(), "w", "o", Set.of("echo")).grant(16);
    List<TaskHandle> handles = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      handles.add(pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode((long) i)).build()));
    }
    for (int i = 0; i < 10; i++) {
      w.answerEcho(w.next());
    }
    for (TaskHandle h : handles) {
      h.result().get(10, TimeUnit.SECONDS);
    }
    return handles;
  }

  @Test
  void finishedTasksPastTheRetentionAreDeletedFromTheStore() throws Exception {
    List<TaskHandle> handles = runTen(Duration.ofMillis(1));
    Eventually.until("the finished tasks were deleted", () -> store.size() == 0);
    // a task not finished yet (queued, or running on the worker) is never deleted
    TaskHandle queued = pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(99L)).build());
    Eventually.until("the queued task was stored", () -> store.get(queued.id()).isPresent());
    Thread.sleep(1_200); // at least one more pass of the writer thread
    assertThat(store.get(queued.id())).isPresent();
    assertThat(store.get(queued.id()).get().state().isTerminal()).isFalse();
    assertThat(store.get(handles.get(0).id())).isEmpty();
  }

  @Test
  void finishedTasksWithinTheRetentionStay() throws Exception {
    runTen(Duration.ofHours(1));
    Eventually.until("the completions were stored", () -> store.size() == 10);
    Thread.sleep(1_200); // at least one more pass of the writer thread
    assertThat(store.size()).isEqualTo(10);
  }

  @Test
  void aRetentionOutOfRangeIsRefusedNamingTheField() {
    for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(3651))) {
      assertThatThrownBy(() -> Coordinator.builder().storeRetention(bad))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("storeRetention").contains("3650 days");
              });
    }
    var twice = Coordinator.builder().storeRetention(Duration.ofMinutes(1));
    assertThatThrownBy(() -> twice.storeRetention(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("storeRetention");
  }
}
