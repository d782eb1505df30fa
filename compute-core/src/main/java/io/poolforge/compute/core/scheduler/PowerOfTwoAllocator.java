package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Samples two workers with credit at random and takes the less loaded: O(1) per pick, and the
 * maximum load stays within log log n of the mean. Not thread-safe.
 */
final class PowerOfTwoAllocator implements Allocator {
  private final AvailableSet available = new AvailableSet();
  private final SplittableRandom random;

  PowerOfTwoAllocator(long seed) {
    this.random = new SplittableRandom(seed);
  }

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
    if (size == 0) {
      return null;
    }
    WorkerView a = available.get(random.nextInt(size));
    WorkerView b = size == 1 ? a : available.get(random.nextInt(size));
    boolean aOk = !excluded.test(a);
    boolean bOk = b == a ? aOk : !excluded.test(b);
    if (aOk && bOk) {
      return Load.of(b) < Load.of(a) ? b : a;
    }
    if (aOk) {
      return a;
    }
    if (bOk) {
      return b;
    }
    return Scan.firstAllowed(available, random.nextInt(size), excluded);
  }
}
