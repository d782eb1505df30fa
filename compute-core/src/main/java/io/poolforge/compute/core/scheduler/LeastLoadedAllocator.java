package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the workers with credit in an indexed binary min-heap by load, so the least loaded is at
 * the top: O(log n) per change, O(1) per pick. Not thread-safe.
 */
final class LeastLoadedAllocator implements Allocator {
  private WorkerView[] heap = new WorkerView[16];
  private double[] keys = new double[16];
  private int[] position = new int[16]; // worker index -> heap position + 1
  private int size;

  @Override
  public void added(WorkerView worker) {
    changed(worker);
  }

  @Override
  public void removed(WorkerView worker) {
    int at = positionOf(worker);
    if (at >= 0) {
      removeAt(at);
    }
  }

  @Override
  public void changed(WorkerView worker) {
    int at = positionOf(worker);
    if (worker.freeCredit() <= 0) {
      if (at >= 0) {
        removeAt(at);
      }
      return;
    }
    double key = Load.of(worker);
    if (at < 0) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
        keys = Arrays.copyOf(keys, size * 2);
      }
      heap[size] = worker;
      keys[size] = key;
      setPosition(worker, size);
      size++;
      siftUp(size - 1);
    } else {
      heap[at] = worker;
      double old = keys[at];
      keys[at] = key;
      if (key < old) {
        siftUp(at);
      } else {
        siftDown(at);
      }
    }
  }

  @Override
  public @Nullable WorkerView pick(
      String kind, @Nullable WorkerView affinity, Predicate<WorkerView> excluded) {
    if (size == 0) {
      return null;
    }
    if (!excluded.test(heap[0])) {
      return heap[0];
    }
    List<WorkerView> skipped = new ArrayList<>();
    WorkerView found = null;
    while (size > 0) {
      WorkerView top = heap[0];
      if (!excluded.test(top)) {
        found = top;
        break;
      }
      skipped.add(top);
      removeAt(0);
    }
    for (WorkerView w : skipped) {
      changed(w);
    }
    return found;
  }

  private int positionOf(WorkerView w) {
    int index = w.index();
    return index < position.length ? position[index] - 1 : -1;
  }

  private void setPosition(WorkerView w, int at) {
    int index = w.index();
    if (index >= position.length) {
      position = Arrays.copyOf(position, Math.max(index + 1, position.length * 2));
    }
    position[index] = at + 1;
  }

  private void removeAt(int at) {
    WorkerView gone = heap[at];
    position[gone.index()] = 0;
    size--;
    if (at != size) {
      heap[at] = heap[size];
      keys[at] = keys[size];
      setPosition(heap[at], at);
      heap[size] = null;
      siftDown(at);
      siftUp(at);
    } else {
      heap[size] = null;
    }
  }

  private void siftUp(int at) {
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (keys[parent] <= keys[at]) {
        return;
      }
      swap(at, parent);
      at = parent;
    }
  }

  private void siftDown(int at) {
    while (true) {
      int left = 2 * at + 1;
      if (left >= size) {
        return;
      }
      int right = left + 1;
      int child = right < size && keys[right] < keys[left] ? right : left;
      if (keys[at] <= keys[child]) {
        return;
      }
      swap(at, child);
      at = child;
    }
  }

  private void swap(int a, int b) {
    WorkerView w = heap[a];
    heap[a] = heap[b];
    heap[b] = w;
    double k = keys[a];
    keys[a] = keys[b];
    keys[b] = k;
    setPosition(heap[a], a);
    setPosition(heap[b], b);
  }
}
