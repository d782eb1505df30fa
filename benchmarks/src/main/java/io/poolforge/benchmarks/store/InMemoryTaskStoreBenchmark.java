package io.poolforge.benchmarks.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Tasks per second through {@link InMemoryTaskStore} as the engine drives it: a group of {@value
 * #GROUP} is inserted QUEUED, updated RUNNING, then COMPLETED, with {@code queued} tasks already
 * waiting in the store (the engine's million-task queue). Finished tasks are deleted every
 * invocation so the store stays at its steady size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryTaskStoreBenchmark {
  /** Tasks per batch. */
  public static final int GROUP = 1_000;

  @Param({"0", "1000000"})
  public int queued;

  private InMemoryTaskStore store = new InMemoryTaskStore();
  private final TaskSpec spec = TaskSpec.builder("sha256", Bytes.wrap(new byte[64])).build();
  private final WorkerId worker = new WorkerId("w1");
  private final Instant at = Instant.parse("2026-01-01T00:00:00Z");

  @Setup(Level.Trial)
  public void fill() {
    store = new InMemoryTaskStore();
    for (int done = 0; done < queued; done += 10_000) {
      store.insert(batch(store.reserveIds(10_000), 10_000));
    }
  }

  private List<TaskRecord> batch(long first, int n) {
    List<TaskRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(TaskRecord.queued(new TaskId(first + i), spec, at));
    }
    return out;
  }

  /** Insert, assign and complete {@value #GROUP} tasks. */
  @Benchmark
  @OperationsPerInvocation(GROUP)
  public void insertRunComplete() {
    List<TaskRecord> queuedBatch = batch(store.reserveIds(GROUP), GROUP);
    store.insert(queuedBatch);
    List<TaskRecord> running = new ArrayList<>(GROUP);
    List<TaskRecord> completed = new ArrayList<>(GROUP);
    for (TaskRecord r : queuedBatch) {
      running.add(
          new TaskRecord(r.id(), spec, TaskState.RUNNING, 1, at, at, worker, null, null, null));
      completed.add(
          new TaskRecord(
              r.id(), spec, TaskState.COMPLETED, 1, at, at, worker, Bytes.EMPTY, null, null));
    }
    store.update(running);
    store.update(completed);
    store.deleteFinishedBefore(at.plusSeconds(1));
  }
}
