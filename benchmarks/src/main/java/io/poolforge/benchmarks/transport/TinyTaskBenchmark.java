package io.poolforge.benchmarks.transport;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Output;
import io.poolforge.transport.grpc.GrpcCoordinatorTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Tiny tasks (SHA-256 of 64 bytes) end to end over loopback, with this JVM as the coordinator and
 * four worker processes. The score is tasks per second; {@code -p mode=} picks what carries them:
 *
 * <ul>
 *   <li>{@code pool}: the real thing. A {@link Coordinator}-built {@link Pool} with the gRPC
 *       coordinator transport, the {@code sha256} kind, no store and verification off; tasks go in
 *       through {@link Pool#submitAll} and count when their result future completes. Each worker
 *       process ({@link PoolWorker}) is a real {@code WorkerNode} on the gRPC worker transport with
 *       the CPU backend; every result batch is signed by the worker and its signature checked by
 *       the coordinator, as always.
 *   <li>{@code unary}: the naive baseline, one unary call per task (the call carries the previous
 *       task's digest and signature and returns the next task). Its coordinator side is {@link
 *       BenchDriver}, a plain queue, not the Pool: cheaper per task than the engine, so the ratio
 *       of {@code pool} over {@code unary} understates the gain.
 *   <li>{@code transport}: the gRPC streaming transport alone, {@link BenchDriver} behind the real
 *       {@link GrpcCoordinatorTransport} and {@link BenchWorker} processes: a transport-only
 *       figure, no engine.
 * </ul>
 *
 * <p>In {@code pool} and {@code transport} mode a priority-{@value Priority#MAX} task is injected
 * about every 5 ms while the load runs, and its submit-to-result latency recorded during the
 * measurement iterations; p50/p99 go to {@code transport-urgent-latency-<mode>.json} in the
 * directory named by the {@code poolforge.results} system property (default {@code
 * benchmarks/results}) at tear-down. Extra JVM options for the worker processes (for example a
 * flight recording) can be passed with {@code -Dpoolforge.workerJvmArgs="..."}; the thread-priority
 * switches of this JVM ({@code -XX:ThreadPriorityPolicy}, {@code -XX:JavaPriority*}, {@code
 * -XX:CompilerThreadPriority}) are passed on to them.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TinyTaskBenchmark -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class TinyTaskBenchmark {
  static final int TASKS = 50_000;
  private static final int CHUNK = 10_000;
  private static final long PROBE_NANOS = 5_000_000;
  private static final String TOKEN = "bench-worker-token-0123456789";

  /** What carries the tasks: the real Pool, the naive unary baseline, or the transport alone. */
  @Param({"pool", "unary"})
  public String mode;

  /** Worker processes. */
  @Param({"4"})
  public int workers;

  /** Whether {@link BenchWorker}s sign results ({@code pool} mode always signs). */
  @Param({"true"})
  public boolean sign;

  /**
   * Credit window per worker (streaming modes). Every task in a window is queued somewhere ahead of
   * an urgent task's result; 1024 measured best for both throughput and urgent latency here (512
   * and 4096 were slower, 4096 with seconds of urgent p99).
   */
  @Param({"1024"})
  public int window;

  /**
   * The coordinator's first batch size for a worker ({@code pool} mode), before it has measured the
   * worker's speed. The engine's default (8) suits tasks of unknown cost; for tiny tasks it starts
   * with batches so small that their fixed costs (a signature, a message, a thread wake-up)
   * dominate the measured time per task, and the batches grown from that measure stay small.
   */
  @Param({"1024"})
  public int initialBatch;

  /** The coordinator's target time per batch in milliseconds ({@code pool} mode). */
  @Param({"20"})
  public int targetBatchMs;

  /**
   * The {@code pool} workers' backend: {@code cpu} (backend-cpu) or {@code inline} (the kind's own
   * code on the worker's runner thread, {@link InlineSha256Backend}).
   */
  @Param({"inline"})
  public String backend;

  /** Whether an urgent task is injected about every 5 ms while the load runs. */
  @Param({"true"})
  public boolean urgentProbe;

  /**
   * Whether the {@code pool} workers open the gRPC urgent lane (a second stream, on its own
   * connection, for tasks of priority HIGH and above); {@code false} sends everything on the main
   * stream, as before the lane existed.
   */
  @Param({"true"})
  public boolean urgentLane;

  /**
   * Whether the coordinator listens for urgent lanes on a port of their own, with an I/O thread of
   * their own ({@code GrpcCoordinatorTransport.Builder.urgentLanePort}), and the {@code pool}
   * workers connect their lanes there; {@code false} serves the lanes on the main port.
   */
  @Param({"true"})
  public boolean lanePort;

  /** Batches a {@code pool} worker runs at once. */
  @Param({"1"})
  public int slots;

  private BenchDriver driver;
  private Pool pool;
  private GrpcCoordinatorTransport coordinator;
  private CountingTransport counting;
  private Server naive;
  private final List<Process> processes = new ArrayList<>();
  private List<TaskSpec> chunk;
  private TaskSpec urgent;
  private Thread probe;
  private volatile boolean probing;
  private volatile boolean loading;
  private volatile boolean measuring;
  private final List<Long> urgentNanos = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong urgentFailures = new AtomicLong();
  private final List<long[]> stages = Collections.synchronizedList(new ArrayList<>());
  private double loadAtStart;
  private final AtomicLong iterationTasks = new AtomicLong();
  private long coordinatorCpuAtStart;
  private long workerCpuAtStart;

  /** Starts the coordinator and the worker processes. */
  @Setup(Level.Trial)
  public void start() throws Exception {
    loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    String target;
    switch (mode) {
      case "pool" -> {
        GrpcCoordinatorTransport.Builder cb =
            GrpcCoordinatorTransport.builder()
                .host("127.0.0.1")
                .workerTokens(Set.of(TOKEN))
                .rateLimit(1_000_000, 1_000_000);
        if (urgentLane && lanePort) {
          cb.urgentLanePort(0);
        }
        coordinator = cb.build();
        pool =
            Coordinator.builder()
                .kind(BuiltinKinds.sha256())
                .transport(counting = new CountingTransport(coordinator))
                .defaultVerification(VerificationSpec.none())
                .initialBatch(initialBatch)
                .targetBatch(java.time.Duration.ofMillis(targetBatchMs))
                .maxQueuedTasks(1_000_000)
                .finishedRetention(10_000)
                .build();
        target = "127.0.0.1:" + coordinator.port();
      }
      case "transport" -> {
        driver = new BenchDriver();
        coordinator =
            GrpcCoordinatorTransport.builder()
                .host("127.0.0.1")
                .workerTokens(Set.of(TOKEN))
                .rateLimit(1_000_000, 1_000_000)
                .build();
        coordinator.start(driver);
        target = "127.0.0.1:" + coordinator.port();
      }
      case "unary" -> {
        driver = new BenchDriver();
        naive =
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(NaiveUnaryService.definition(driver))
                .build()
                .start();
        target = "127.0.0.1:" + naive.getPort();
      }
      default -> throw new IllegalArgumentException("mode " + mode);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String extra = System.getProperty("poolforge.workerJvmArgs", "").trim();
    // the workers follow this JVM's thread-priority switches, so one -jvmArgsAppend sets both
    List<String> prioritySwitches =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                arg ->
                    arg.startsWith("-XX:ThreadPriorityPolicy=")
                        || arg.startsWith("-XX:JavaPriority")
                        || arg.startsWith("-XX:CompilerThreadPriority="))
            .toList();
    for (int i = 0; i < workers; i++) {
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
      cmd.addAll(prioritySwitches);
      if (!extra.isEmpty()) {
        cmd.addAll(Arrays.asList(extra.replace("{i}", String.valueOf(i)).split("\\s+")));
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
      if (mode.equals("pool")) {
        cmd.addAll(
            List.of(
                PoolWorker.class.getName(),
                target,
                TOKEN,
                "bench-" + i,
                String.valueOf(window),
                String.valueOf(slots),
                backend,
                String.valueOf(urgentLane),
                urgentLane && lanePort ? "127.0.0.1:" + coordinator.urgentLanePort() : target));
      } else {
        cmd.addAll(
            List.of(
                BenchWorker.class.getName(),
                mode.equals("unary") ? "unary" : "streaming",
                target,
                TOKEN,
                "bench-" + i,
                String.valueOf(window),
                String.valueOf(sign)));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
      processes.add(pb.start());
    }
    if (mode.equals("pool")) {
      startPool();
    } else {
      // let the workers start and register
      driver.run(2_000, false);
    }
  }

  private void startPool() throws NoSuchAlgorithmException {
    byte[] message = new byte[64];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) (i * 7 + 3);
    }
    Bytes payload = BuiltinKinds.sha256().inputCodec().encode(Sha256Input.of(Bytes.wrap(message)));
    TaskSpec spec = TaskSpec.builder(BuiltinKinds.sha256().id(), payload).build();
    chunk = Collections.nCopies(CHUNK, spec);
    urgent = TaskSpec.builder(BuiltinKinds.sha256().id(), payload).priority(Priority.MAX).build();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (pool.workers().size() < workers) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException(pool.workers().size() + " of " + workers + " joined");
      }
      LockSupport.parkNanos(10_000_000);
    }
    // one checked answer: the workers really compute SHA-256
    Sha256Output out =
        pool.submit(spec)
            .result()
            .orTimeout(30, TimeUnit.SECONDS)
            .join()
            .output(BuiltinKinds.sha256());
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(message);
    if (!Arrays.equals(out.digests().get(0).toByteArray(), expected)) {
      throw new IllegalStateException("a worker returned a wrong digest");
    }
    probing = urgentProbe;
    probe = Thread.ofPlatform().daemon().name("urgent-probe").start(this::probeLoop);
  }

  /** Submits one urgent task about every 5 ms while a load runs, open loop. */
  private void probeLoop() {
    while (probing) {
      LockSupport.parkNanos(PROBE_NANOS);
      if (!loading) {
        continue;
      }
      boolean record = measuring;
      long t0 = System.nanoTime();
      TaskHandle h = pool.submit(urgent);
      h.result()
          .whenComplete(
              (r, e) -> {
                long[] at = counting.urgent.remove(h.id().value());
                if (at != null && record && e == null) {
                  stages.add(new long[] {at[0] - t0, at[1] - at[0], System.nanoTime() - at[1]});
                }
                if (e != null) {
                  if (probing) {
                    urgentFailures.incrementAndGet();
                  }
                } else if (record) {
                  urgentNanos.add(System.nanoTime() - t0);
                }
              });
    }
  }

  /**
   * Notes whether the coming iteration is measured (urgent latencies count only then).
   *
   * @param params the iteration
   */
  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
    if (counting != null) {
      counting.reset();
    }
    iterationTasks.set(0);
    coordinatorCpuAtStart = coordinatorCpuNanos();
    workerCpuAtStart = workerCpuNanos();
  }

  private static long coordinatorCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private long workerCpuNanos() {
    long sum = 0;
    for (Process p : processes) {
      sum += p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
    return sum;
  }

  /** Prints the CPU time per task and how the iteration's tasks were batched. */
  @TearDown(Level.Iteration)
  public void iterationDone() {
    long tasks = Math.max(1, iterationTasks.get());
    System.out.printf(
        Locale.ROOT,
        "  [CPU per task: coordinator %.2f us, workers %.2f us; load average %.1f]%n",
        (coordinatorCpuNanos() - coordinatorCpuAtStart) / 1e3 / tasks,
        (workerCpuNanos() - workerCpuAtStart) / 1e3 / tasks,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (counting != null) {
      System.out.println("  [" + counting.summary() + "]");
      List<long[]> st;
      synchronized (stages) {
        st = new ArrayList<>(stages);
        stages.clear();
      }
      if (!st.isEmpty()) {
        String[] names = {"submit->assign", "assign->result in", "result in->future"};
        StringBuilder line = new StringBuilder("  [urgent stages ms (p50/p99):");
        for (int k = 0; k < 3; k++) {
          List<Long> v = new ArrayList<>();
          for (long[] x : st) {
            v.add(x[k]);
          }
          v.sort(null);
          line.append(
              String.format(Locale.ROOT, " %s %.1f/%.1f", names[k], pct(v, 0.5), pct(v, 0.99)));
        }
        System.out.println(line.append("]"));
      }
    }
  }

  /**
   * Runs {@value #TASKS} tasks to completion.
   *
   * @return something, so nothing is optimised away
   */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public Object tasks() {
    iterationTasks.addAndGet(TASKS);
    if (pool == null) {
      driver.run(TASKS, mode.equals("transport") && urgentProbe);
      return driver;
    }
    CompletableFuture<?>[] results = new CompletableFuture<?>[TASKS];
    loading = true;
    for (int at = 0; at < TASKS; at += CHUNK) {
      List<TaskHandle> handles = pool.submitAll(chunk);
      for (int i = 0; i < handles.size(); i++) {
        results[at + i] = handles.get(i).result();
      }
    }
    CompletableFuture.allOf(results).join();
    loading = false;
    return results;
  }

  /** Stops the workers and the coordinator, and writes the urgent-task latencies. */
  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    probing = false;
    if (probe != null) {
      probe.join();
    }
    for (Process p : processes) {
      p.getOutputStream().close();
    }
    for (Process p : processes) {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    if (pool != null) {
      pool.close();
    } else if (coordinator != null) {
      coordinator.close();
    }
    if (naive != null) {
      naive.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<Long> lat = new ArrayList<>(driver != null ? driver.urgentLatencyNanos : urgentNanos);
    if (lat.isEmpty()) {
      return;
    }
    lat.sort(null);
    Path out = Path.of(System.getProperty("poolforge.results", "benchmarks/results"));
    Files.createDirectories(out);
    Files.writeString(
        out.resolve(
            "transport-urgent-latency-"
                + mode
                + (sign ? "" : "-unsigned")
                + (mode.equals("pool") && !urgentLane ? "-nolane" : "")
                + ".json"),
        String.format(
            Locale.ROOT,
            "{\"benchmark\":\"TinyTaskBenchmark.urgent\",\"mode\":\"%s\",\"urgentLane\":%s,"
                + "\"lanePort\":%s,\"gc\":\"%s\",\"workers\":%d,"
                + "\"window\":%d,\"slots\":%d,\"sign\":%s,\"samples\":%d,\"failures\":%d,"
                + "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
                + "\"loadavg_start\":%.2f,\"loadavg_end\":%.2f}%n",
            mode,
            mode.equals("pool") && urgentLane,
            mode.equals("pool") && urgentLane && lanePort,
            ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining("+")),
            workers,
            window,
            slots,
            mode.equals("pool") || sign,
            lat.size(),
            urgentFailures.get(),
            pct(lat, 0.50),
            pct(lat, 0.90),
            pct(lat, 0.99),
            lat.get(lat.size() - 1) / 1e6,
            loadAtStart,
            loadAtEnd));
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }
}
