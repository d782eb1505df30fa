package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * End to end in one JVM: submit to completed future for a no-op kind, 64 workers, the in-memory
 * task store (group commit), verification off. Every result is still signed (one Ed25519 signature
 * per result batch, over its Merkle root) and checked by the coordinator. {@code -p window=N} sets
 * each worker's credit window (default 32, as recorded first); a larger window lets one batch, and
 * so one signature, cover more results.
 *
 * <ul>
 *   <li>{@code throughput}: 1,000 tasks submitted in batches of 1,000, all awaited.
 *   <li>{@code pipelined}: sustained throughput. Each operation submits a burst of 1,000 tasks and
 *       then waits for the burst submitted {@code -p depth=N} bursts earlier (default 8), so the
 *       pool always holds up to N bursts and never drains between them, as {@code throughput}'s
 *       submit-then-wait loop does.
 *   <li>{@code highPriorityLatency}: one priority-9 task at a time while a load thread keeps {@code
 *       -p inFlight=N} normal tasks in flight (default 500; {@code -p window=1024 -p inFlight=8000}
 *       is {@code pipelined}'s load); JMH sample mode gives p50 and p99. Where the JVM passes
 *       thread priorities to the OS ({@code -jvmArgs "-XX:ThreadPriorityPolicy=1
 *       -XX:JavaPriority1_To_OSPriority=19"} on Linux), bulk threads run at nice 19.
 * </ul>
 *
 * <p>Recorded with {@code java -jar benchmarks/target/benchmarks.jar EndToEndBenchmark -f 1 -wi 1
 * -w 5s -i 2 -r 5s -jvmArgs -Xmx2g -rf json -rff benchmarks/results/end-to-end.json}.
 *
 * <p>Not thread-safe; run by JMH.
 *
 * @since 0.1.0
 */
public class EndToEndBenchmark {
  static final int TASKS = 1_000;
  private static final Bytes INPUT = NoopKind.INSTANCE.inputCodec().encode(7L);

  /** One pool for a trial. */
  @State(Scope.Benchmark)
  public static class Throughput {
    /** Tasks each worker holds at most (its credit window); 32 is the recorded baseline. */
    @Param({"32"})
    int window;

    InProcessPool pool;

    @Setup(Level.Trial)
    public void start() {
      pool = new InProcessPool(64, window);
    }

    @TearDown(Level.Trial)
    public void stop() {
      pool.close();
    }
  }

  /** A pool and the bursts submitted to it and not yet awaited. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    /** Tasks each worker holds at most (its credit window). */
    @Param({"1024"})
    int window;

    /** Bursts of 1,000 tasks in flight before the oldest is awaited. */
    @Param({"8"})
    int depth;

    InProcessPool pool;
    final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    final List<TaskSpec> burst = new ArrayList<>(TASKS);

    @Setup(Level.Trial)
    public void start() {
      pool = new InProcessPool(64, window);
      for (int i = 0; i < TASKS; i++) {
        burst.add(TaskSpec.builder("noop", INPUT).build());
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      inFlight.forEach(CompletableFuture::join);
      pool.close();
    }
  }

  /** A pool kept under load by a background submitter. */
  @State(Scope.Benchmark)
  public static class Loaded {
    /** Tasks each worker holds at most (its credit window); 32 is the recorded baseline. */
    @Param({"32"})
    int window;

    /**
     * Normal tasks the load thread keeps in flight (default 500, as recorded first). {@code -p
     * window=1024 -p inFlight=8000} gives {@code pipelined}'s load: its 8 bursts of 1,000.
     */
    @Param({"500"})
    int inFlight;

    InProcessPool pool;
    final AtomicBoolean running = new AtomicBoolean(true);
    Thread load;

    @Setup(Level.Trial)
    public void start() {
      pool = new InProcessPool(64, window);
      Semaphore permits = new Semaphore(inFlight);
      int batchSize = Math.max(100, Math.min(1_000, inFlight / 8));
      load =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    List<TaskSpec> batch = new ArrayList<>();
                    for (int i = 0; i < batchSize; i++) {
                      batch.add(TaskSpec.builder("noop", INPUT).build());
                    }
                    while (running.get()) {
                      try {
                        if (!permits.tryAcquire(batchSize, 50, TimeUnit.MILLISECONDS)) {
                          continue;
                        }
                      } catch (InterruptedException e) {
                        return;
                      }
                      for (TaskHandle h : pool.pool.submitAll(batch)) {
                        h.result().whenComplete((r, e) -> permits.release());
                      }
                    }
                  });
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      running.set(false);
      load.join();
      pool.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(TASKS)
  public Object throughput(Throughput state) {
    List<CompletableFuture<?>> futures = new ArrayList<>(TASKS);
    List<TaskSpec> batch = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      batch.add(TaskSpec.builder("noop", INPUT).build());
    }
    for (int i = 0; i < TASKS; i += 1000) {
      for (TaskHandle h : state.pool.pool.submitAll(batch)) {
        futures.add(h.result());
      }
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(TASKS)
  public Object pipelined(Pipeline state) {
    List<TaskHandle> handles = state.pool.pool.submitAll(state.burst);
    CompletableFuture<?>[] futures = new CompletableFuture<?>[handles.size()];
    for (int i = 0; i < futures.length; i++) {
      futures[i] = handles.get(i).result();
    }
    state.inFlight.addLast(CompletableFuture.allOf(futures));
    return state.inFlight.size() > state.depth ? state.inFlight.removeFirst().join() : null;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object highPriorityLatency(Loaded state) {
    return state
        .pool
        .pool
        .submit(TaskSpec.builder("noop", INPUT).priority(Priority.MAX).build())
        .result()
        .join();
  }
}
