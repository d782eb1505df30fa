package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.WorkerView;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The fallback when sampled workers are all excluded: walks the available set from a start until
 * one is allowed. Exclusion lists are small (a task's replicas), so this ends within a few steps.
 */
final class Scan {
  private Scan() {}

  static @Nullable WorkerView firstAllowed(
      AvailableSet available, int start, Predicate<WorkerView> excluded) {
    int size = available.size();
    for (int i = 0; i < size; i++) {
      WorkerView w = available.get((start + i) % size);
      if (!excluded.test(w)) {
        return w;
      }
    }
    return null;
  }
}
