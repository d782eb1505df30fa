package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Cycles through the workers that have credit. Not thread-safe. */
final class RoundRobinAllocator implements Allocator {
  private final AvailableSet available = new AvailableSet();
  private int cursor;

  @Override
  public void added(WorkerView worker) {
    available.update(worker);
  }

  @Override
  public void removed(WorkerView worker) {
    available.remove(worker);
  }

  @Override
  public void changed(WorkerView worker) {
    available.update(worker);
  }

  @Override
  public @Nullable WorkerView pick(
      String kind, @Nullable WorkerView affinity, Predicate<WorkerView> excluded) {
    int size = available.size();
    for (int tries = 0; tries < size; tries++) {
      cursor = cursor + 1 >= size ? 0 : cursor + 1;
      WorkerView w = available.get(cursor);
      if (!excluded.test(w)) {
        return w;
      }
    }
    return null;
  }
}
