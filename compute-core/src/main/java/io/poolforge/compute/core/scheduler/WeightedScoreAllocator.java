package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Samples a few workers with credit (plus the preferred one) and takes the best weighted score of
 * spare capacity, free device memory, measured speed, latency, affinity and credibility: the
 * power-of-d-choices idea with a richer comparison, O(d) per pick. Not thread-safe.
 */
final class WeightedScoreAllocator implements Allocator {
  private final AvailableSet available = new AvailableSet();
  private final SplittableRandom random;
  private final ScoreWeights weights;
  private final WorkerView[] sample;

  WeightedScoreAllocator(long seed, ScoreWeights weights) {
    this.random = new SplittableRandom(seed);
    this.weights = weights;
    this.sample = new WorkerView[weights.candidates() + 1];
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
    int n = 0;
    if (affinity != null && available.contains(affinity) && !excluded.test(affinity)) {
      sample[n++] = affinity;
    }
    int draws = Math.min(weights.candidates(), size);
    for (int i = 0; i < draws; i++) {
      WorkerView w = available.get(random.nextInt(size));
      if (!excluded.test(w)) {
        sample[n++] = w;
      }
    }
    if (n == 0) {
      return Scan.firstAllowed(available, random.nextInt(size), excluded);
    }
    if (n == 1) {
      WorkerView only = sample[0];
      sample[0] = null;
      return only;
    }
    long maxMemory = 1;
    double minNanos = Double.MAX_VALUE;
    double minLatency = Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      WorkerView w = sample[i];
      maxMemory = Math.max(maxMemory, w.freeDeviceMemoryBytes());
      double nanos = w.nanosPerTask(kind);
      if (nanos > 0) {
        minNanos = Math.min(minNanos, nanos);
      }
      double latency = w.latencyNanos();
      if (latency > 0) {
        minLatency = Math.min(minLatency, latency);
      }
    }
    WorkerView best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      WorkerView w = sample[i];
      double nanos = w.nanosPerTask(kind);
      double latency = w.latencyNanos();
      double score =
          weights.load() * (1.0 - Load.of(w))
              + weights.freeMemory() * ((double) w.freeDeviceMemoryBytes() / maxMemory)
              + weights.speed()
                  * (nanos > 0 && minNanos < Double.MAX_VALUE ? minNanos / nanos : 0.5)
              + weights.latency()
                  * (latency > 0 && minLatency < Double.MAX_VALUE ? minLatency / latency : 0.5)
              + weights.affinity() * (w == affinity ? 1.0 : 0.0)
              + weights.reputation() * w.credibility(kind);
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
      sample[i] = null;
    }
    return best;
  }
}
