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
}
