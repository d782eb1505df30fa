package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import io.poolforge.compute.core.scheduler.AllocationPolicies;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * Placement on one thread: 10,000 workers with a credit window of 1,000 each, 1,000,000 tasks
 * placed one by one (each placement is a pick plus the credit and load update the scheduler does),
 * for each built-in policy and for a full-scan allocator that scores every worker per task. Prints
 * the load Gini of each invocation ("gini=...") so balance is reported next to speed. The full-scan
 * baseline places 2,000 tasks per invocation, since it does 10,000 scores per task.
 *
 * <p>Not thread-safe; run by JMH.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AllocationBenchmark {
  static final int WORKERS = 10_000;
  static final int PLACEMENTS = 1_000_000;
  static final int SCAN_PLACEMENTS = 2_000;
  private static final Predicate<WorkerView> NONE = w -> false;

  @Param({"round-robin", "least-loaded", "power-of-two", "weighted-score"})
  public String policy;

  private Allocator allocator;
  private Allocator fullScan;
  private SimWorker[] workers;
  private SimWorker[] scanWorkers;

  private SimWorker[] fleet(Allocator target) {
    SplittableRandom random = new SplittableRandom(1);
    SimWorker[] ws = new SimWorker[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
      // heterogeneous fleet: speeds over two orders of magnitude, memory 4-64 GiB
      ws[i] =
          new SimWorker(i, 1_000, 1_000 + random.nextInt(100_000), (4L + random.nextInt(60)) << 30);
      target.added(ws[i]);
    }
    return ws;
  }

  @Setup(Level.Invocation)
  public void setUp() {
    allocator = AllocationPolicies.byName(policy).newAllocator(42);
    workers = fleet(allocator);
    fullScan = new FullScanAllocator();
    scanWorkers = fleet(fullScan);
  }

  @TearDown(Level.Invocation)
  public void report() {
    if (workers[0].placed + workers[1].placed > 0) {
      System.out.printf("gini[%s]=%.4f%n", policy, gini(workers));
    }
  }

  private static int place(Allocator a, int count) {
    int placed = 0;
    for (int i = 0; i < count; i++) {
      SimWorker w = (SimWorker) a.pick("k", null, NONE);
      if (w == null) {
        break;
      }
      w.credit--;
      w.inFlight++;
      w.placed++;
      a.changed(w);
      placed++;
    }
    return placed;
  }

  /** The policy under test: 1,000,000 placements per invocation. */
  @Benchmark
  @OperationsPerInvocation(PLACEMENTS)
  public int placeAll() {
    return place(allocator, PLACEMENTS);
  }

  /** The full-scan baseline: 2,000 placements per invocation. */
  @Benchmark
  @OperationsPerInvocation(SCAN_PLACEMENTS)
  public int fullScanBaseline() {
    return place(fullScan, SCAN_PLACEMENTS);
  }

  static double gini(SimWorker[] ws) {
    long[] v = new long[ws.length];
    for (int i = 0; i < ws.length; i++) {
      v[i] = ws[i].placed;
    }
    java.util.Arrays.sort(v);
    double cum = 0;
    double weighted = 0;
    for (int i = 0; i < v.length; i++) {
      cum += v[i];
      weighted += (i + 1) * (double) v[i];
    }
    int n = v.length;
    return cum == 0 ? 0 : (2 * weighted) / (n * cum) - (n + 1.0) / n;
  }
}
