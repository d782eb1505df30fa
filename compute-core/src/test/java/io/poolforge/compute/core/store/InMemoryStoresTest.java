package io.poolforge.compute.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Smoke tests of the in-memory stores; the full contract is checked by compute-tck. */
class InMemoryStoresTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static TaskRecord queued(long id) {
    return TaskRecord.queued(
        new TaskId(id), TaskSpec.builder("sha256", Bytes.of(new byte[] {1})).build(), T0);
  }

  @Test
  void providerIsDiscoveredForMemoryUrl() {
    StoreProvider p =
        ServiceLoader.load(StoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(x -> x.accepts("memory:"))
            .findFirst()
            .orElseThrow();
    assertThat(p.isAvailable()).isTrue();
    try (Stores s = p.open("memory:")) {
      assertThat(s.durable()).isFalse();
    }
    assertThatThrownBy(() -> p.open("jdbc:sqlite:x"))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("url");
  }

  @Test
  void statesAreIndexedAndBatchesAreAtomic() {
    InMemoryTaskStore store = new InMemoryTaskStore();
    long first = store.reserveIds(3);
    store.insert(List.of(queued(first), queued(first + 1), queued(first + 2)));
    store.update(
        List.of(
            new TaskRecord(
                new TaskId(first + 1),
                queued(first + 1).spec(),
                TaskState.COMPLETED,
                1,
                T0,
                T0,
                null,
                Bytes.EMPTY,
                null,
                null)));
    assertThat(store.list(TaskState.QUEUED, null, 10).items())
        .extracting(r -> r.id().value())
        .containsExactly(first, first + 2);
    assertThatThrownBy(() -> store.insert(List.of(queued(first + 3), queued(first))))
        .isInstanceOf(PoolException.class)
        .extracting(e -> ((PoolException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(store.get(new TaskId(first + 3))).isEmpty();
    List<Long> unfinished = new ArrayList<>();
    store.forEachUnfinished(r -> unfinished.add(r.id().value()));
    assertThat(unfinished).containsExactly(first, first + 2);
    assertThat(store.deleteFinishedBefore(T0.plusSeconds(1))).isEqualTo(1);
    assertThat(store.size()).isEqualTo(2);
  }

  private static TaskRecord finished(long id, TaskState state, Instant at) {
    return new TaskRecord(
        new TaskId(id), queued(id).spec(), state, 1, T0, at, null, Bytes.EMPTY, null, null);
  }

  @Test
  void deletingPastManyStepsRemovesExactlyTheOldFinishedRecordsWhileWritesGoOn() throws Exception {
    InMemoryTaskStore store = new InMemoryTaskStore();
    int n = 10_000; // ten deletion steps and more
    long first = store.reserveIds(n);
    List<TaskRecord> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(queued(first + i));
    }
    store.insert(all);
    Instant cutoff = T0.plusSeconds(100);
    List<TaskRecord> changes = new ArrayList<>();
    int old = 0;
    for (int i = 0; i < n; i++) {
      long id = first + i;
      switch (i % 4) {
        case 0 -> {
          changes.add(finished(id, TaskState.COMPLETED, cutoff.minusSeconds(1)));
          old++;
        }
        case 1 -> {
          changes.add(finished(id, TaskState.FAILED, cutoff.minusSeconds(50)));
          old++;
        }
        case 2 -> changes.add(finished(id, TaskState.COMPLETED, cutoff)); // not before it
        default -> {} // stays queued
      }
    }
    store.update(changes);
    // a writer inserts meanwhile; its records are queued, so none of them may go
    long more = store.reserveIds(1_000);
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 1_000; i++) {
                    store.insert(List.of(queued(more + i)));
                  }
                });
    assertThat(store.deleteFinishedBefore(cutoff)).isEqualTo(old);
    writer.join();
    assertThat(store.size()).isEqualTo(n - old + 1_000);
    for (int i = 0; i < n; i++) {
      assertThat(store.get(new TaskId(first + i)).isPresent())
          .as("record %d", i)
          .isEqualTo(i % 4 >= 2);
    }
    assertThat(store.deleteFinishedBefore(cutoff)).isZero();
  }
}
