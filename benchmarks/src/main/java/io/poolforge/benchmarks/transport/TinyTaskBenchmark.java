package io.poolforge.benchmarks.transport;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.poolforge.transport.grpc.GrpcCoordinatorTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

/**
 * Tiny tasks (SHA-256 of 64 bytes, signed with Ed25519 by the worker) end to end over loopback:
 * this JVM is the coordinator, four worker processes compute. "streaming" is the gRPC transport
 * (one stream per worker, credit-based batches); "unary" is the naive baseline, one unary call per
 * task. The score is tasks per second. In streaming mode a high-priority task is injected every 5
 * ms at the head of the queue; its latencies are written to {@code
 * benchmarks/results/transport-urgent-latency.json} at tear-down.
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
  private static final String TOKEN = "bench-worker-token-0123456789";

  /** Which path carries the tasks. */
  @Param({"streaming", "unary"})
  public String mode;

  /** Worker processes. */
  @Param({"4"})
  public int workers;

  /** Whether workers sign each result with Ed25519 (false isolates the transport). */
  @Param({"true", "false"})
  public boolean sign;

  /** Credit window per worker (streaming). */
  @Param({"2048"})
  public int window;

  private BenchDriver driver;
  private GrpcCoordinatorTransport coordinator;
  private Server naive;
  private final List<Process> processes = new ArrayList<>();

  /** Starts the coordinator and the worker processes. */
  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    driver = new BenchDriver();
    String target;
    if (mode.equals("streaming")) {
      coordinator =
          GrpcCoordinatorTransport.builder()
              .host("127.0.0.1")
              .workerTokens(Set.of(TOKEN))
              .rateLimit(1_000_000, 1_000_000)
              .build();
      coordinator.start(driver);
      target = "127.0.0.1:" + coordinator.port();
    } else {
      naive =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(NaiveUnaryService.definition(driver))
              .build()
              .start();
      target = "127.0.0.1:" + naive.getPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < workers; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BenchWorker.class.getName(),
                  mode,
                  target,
                  TOKEN,
                  "bench-" + i,
                  String.valueOf(window),
                  String.valueOf(sign))
              .inheritIO()
              .start());
    }
    // let the workers start and register
    driver.run(2_000, false);
  }

  /**
   * Runs {@value #TASKS} tasks to completion.
   *
   * @return the driver, so nothing is optimised away
   */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public Object tasks() {
    driver.run(TASKS, mode.equals("streaming"));
    return driver;
  }

  /** Stops the workers and the coordinator, and writes the urgent-task latencies. */
  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    if (naive != null) {
      naive.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    List<Long> lat = new ArrayList<>(driver.urgentLatencyNanos);
    if (!lat.isEmpty()) {
      lat.sort(null);
      Path out = Path.of(System.getProperty("poolforge.results", "benchmarks/results"));
      Files.createDirectories(out);
      Files.writeString(
          out.resolve("transport-urgent-latency-" + (sign ? "signed" : "unsigned") + ".json"),
          String.format(
              Locale.ROOT,
              "{\"benchmark\":\"TinyTaskBenchmark.urgent\",\"mode\":\"%s\",\"workers\":%d,\"window\":%d,\"sign\":%s,"
                  + "\"samples\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}%n",
              mode,
              workers,
              window,
              sign,
              lat.size(),
              pct(lat, 0.50),
              pct(lat, 0.99),
              lat.get(lat.size() - 1) / 1e6));
    }
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }
}
