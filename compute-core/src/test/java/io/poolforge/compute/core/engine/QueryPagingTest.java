package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.TestKinds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queries do bounded work per call, and paging through them still sees every task once. */
class QueryPagingTest {
  private static final int TASKS = 3 * PoolEngine.SCAN_BUDGET;
  private final Pool pool = Coordinator.builder().kind(new TestKinds.Echo()).build();

  @AfterEach
  void close() {
    pool.close();
  }

  private List<TaskId> submitQueued() {
    List<TaskId> ids = new ArrayList<>(TASKS);
    for (int from = 0; from < TASKS; from += 5_000) {
      List<TaskSpec> specs = new ArrayList<>(5_000);
      for (int i = from; i < from + 5_000; i++) {
        specs.add(TaskSpec.builder("echo", TestKinds.LONG.encode((long) i)).build());
      }
      for (TaskHandle h : pool.submitAll(specs)) {
        ids.add(h.id());
      }
    }
    return ids;
  }

  @Test
  void aStateNoTaskIsInCostsBoundedCallsNotOneFullScan() {
    submitQueued();
    int calls = 0;
    String cursor = null;
    do {
      Page<TaskStatus> page = pool.query(TaskState.RUNNING, cursor, 10);
      assertThat(page.items()).isEmpty();
      cursor = page.nextCursor();
      calls++;
    } while (cursor != null && calls < 100);
    // no worker: nothing runs; the walk ends, in about TASKS / SCAN_BUDGET calls, not one
    assertThat(cursor).isNull();
    assertThat(calls).isBetween(3, 5);
  }

  @Test
  void pagingSeesEveryTaskOnceOldestFirst() {
    List<TaskId> ids = submitQueued();
    pool.cancel(ids.get(5));
    List<TaskId> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<TaskStatus> page = pool.query(TaskState.QUEUED, cursor, 7_000);
      assertThat(page.items().size()).isLessThanOrEqualTo(7_000);
      page.items().forEach(s -> seen.add(s.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    List<TaskId> expected = new ArrayList<>(ids);
    expected.remove(5);
    assertThat(seen).containsExactlyElementsOf(expected);
  }
}
