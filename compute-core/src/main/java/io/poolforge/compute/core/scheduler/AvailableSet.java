package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.WorkerView;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The workers of one lane that have free credit, as a dense array with O(1) add, remove and random
 * access. Positions are found through the workers' dense {@link WorkerView#index()}. Not
 * thread-safe.
 */
final class AvailableSet {
  private WorkerView[] items = new WorkerView[16];
  private int[] position = new int[16]; // worker index -> position + 1, 0 when absent
  private int size;

  /** Adds or removes the worker as its free credit says. */
  void update(WorkerView worker) {
    if (worker.freeCredit() > 0) {
      add(worker);
    } else {
      remove(worker);
    }
  }

  void add(WorkerView worker) {
    int index = worker.index();
    if (index >= position.length) {
      position = Arrays.copyOf(position, Math.max(index + 1, position.length * 2));
    }
    if (position[index] != 0) {
      items[position[index] - 1] = worker;
      return;
    }
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size] = worker;
    position[index] = ++size;
  }

  void remove(WorkerView worker) {
    int index = worker.index();
    if (index >= position.length || position[index] == 0) {
      return;
    }
    int at = position[index] - 1;
    WorkerView last = items[--size];
    items[at] = last;
    position[last.index()] = at + 1;
    items[size] = null;
    position[index] = 0;
  }

  boolean contains(WorkerView worker) {
    int index = worker.index();
    return index < position.length && position[index] != 0;
  }

  int size() {
    return size;
  }

  WorkerView get(int at) {
    return items[at];
  }

  @Nullable WorkerView first() {
    return size == 0 ? null : items[0];
  }
}
