package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Group commit through a TaskStore, acknowledgement after the write, and recovery at start. */
class DurableSubmitTest {
  /** Delegates to the in-memory store, recording insert batch sizes and able to hold writes. */
  static final class RecordingStore implements TaskStore {
    final InMemoryTaskStore delegate = new InMemoryTaskStore();
    final List<Integer> insertBatches = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile boolean broken;

    @Override
    public long reserveIds(int count) {
      return delegate.reserveIds(count);
    }

    @Override
    public void insert(List<TaskRecord> tasks) {
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (broken) {
        throw new PoolException(ErrorCode.UNAVAILABLE, "disk on fire");
      }
      insertBatches.add(tasks.size());
      delegate.insert(tasks);
    }

    @Override
    public void update(List<TaskRecord> tasks) {
      delegate.update(tasks);
    }

    @Override
    public Optional<TaskRecord> get(TaskId id) {
      return delegate.get(id);
    }

    @Override
    public Page<TaskRecord> list(TaskState state, @Nullable String cursor, int limit) {
      return delegate.list(state, cursor, limit);
    }

    @Override
    public void forEachUnfinished(Consumer<TaskRecord> sink) {
      delegate.forEachUnfinished(sink);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
      return delegate.deleteFinishedBefore(cutoff);
    }

    @Override
    public void close() {}
  }

  private final TestKinds.Echo echo = new TestKinds.Echo();

  @Test
  void acceptedOnlyAfterOneSharedInsertAndRecoveredAfterRestart() throws Exception {
    RecordingStore store = new RecordingStore();
    store.gate = new CountDownLatch(1);
    List<TaskHandle> handles = new ArrayList<>();
    try (Pool pool = Coordinator.builder().kind(echo).taskStore(store).build()) {
      for (long i = 0; i < 50; i++) {
        handles.add(pool.submit(echo, i));
      }
      Thread.sleep(50);
      assertThat(handles).allSatisfy(h -> assertThat(h.accepted()).isNotDone());
      store.gate.countDown();
      for (TaskHandle h : handles) {
        assertThat(h.accepted().get(30, TimeUnit.SECONDS)).isEqualTo(h.id());
        assertThat(store.get(h.id())).isPresent();
      }
      // many submissions shared few writes: the first held one took all that queued behind it
      assertThat(store.insertBatches.size()).isLessThan(50);
      assertThat(store.insertBatches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    }
    // restart with the same store: the queued tasks come back and complete
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .taskStore(store)
                .transport(transport.coordinator())
                .build();
        WorkerNode worker =
            WorkerNode.builder()
                .transport(transport.worker())
                .kind(echo)
                .backend(new TestBackend(Set.of("echo")))
                .build()
                .start()) {
      Eventually.until(
          "recovered tasks completed",
          () -> handles.stream().allMatch(h -> pool.status(h.id()).state() == TaskState.COMPLETED));
      Eventually.until(
          "completion persisted",
          () ->
              store
                  .get(handles.get(0).id())
                  .map(r -> r.state() == TaskState.COMPLETED)
                  .orElse(false));
      TaskRecord done = store.get(handles.get(3).id()).orElseThrow();
      assertThat(TestKinds.LONG.decode(done.result())).isEqualTo(4L);
    }
  }

  @Test
  void failedWriteFailsTheSubmissionAndFreesItsRoom() throws Exception {
    RecordingStore store = new RecordingStore();
    store.broken = true;
    try (Pool pool = Coordinator.builder().kind(echo).taskStore(store).maxQueuedTasks(1).build()) {
      TaskHandle h = pool.submit(TaskSpec.builder("echo", TestKinds.LONG.encode(1L)).build());
      assertThat(h.accepted())
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("UNAVAILABLE");
      store.broken = false;
      Eventually.until(
          "room is free again",
          () -> {
            try {
              pool.submit(echo, 2L);
              return true;
            } catch (PoolException e) {
              return false;
            }
          });
    }
  }
}
