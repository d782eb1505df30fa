package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The baseline: scores every worker for every task (load, memory, speed, reputation) and takes the
 * best, as a naive "smart allocator" does. O(workers) per pick.
 */
final class FullScanAllocator implements Allocator {
  private final List<WorkerView> workers = new ArrayList<>();

  @Override
  public void added(WorkerView worker) {
    workers.add(worker);
  }

  @Override
  public void removed(WorkerView worker) {
    workers.remove(worker);
  }

  @Override
  public void changed(WorkerView worker) {}

  @Override
  public @Nullable WorkerView pick(
      String kind, @Nullable WorkerView affinity, Predicate<WorkerView> excluded) {
    WorkerView best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0, n = workers.size(); i < n; i++) {
      WorkerView w = workers.get(i);
      if (w.freeCredit() <= 0 || excluded.test(w)) {
        continue;
      }
      int window = w.inFlight() + w.freeCredit();
      double load = window == 0 ? 1 : (double) w.inFlight() / window;
      double nanos = w.nanosPerTask(kind);
      double score =
          (1 - load)
              + 0.2 * (w.freeDeviceMemoryBytes() / (double) (1L << 34))
              + 0.5 * (nanos > 0 ? 1_000.0 / nanos : 0.5)
              + 0.5 * w.credibility(kind);
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
    }
    return best;
  }
}
