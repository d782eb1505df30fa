package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.transport.grpc.GrpcWorkerTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Many simulated workers (lightweight stream clients sharing a few channels) connected to one
 * coordinator process, each heartbeating every 5 s. Reports the coordinator's heap after GC and the
 * share of one core it spends while only heartbeats flow, as JSON under benchmarks/results.
 *
 * <p>This is a multi-process harness rather than a JMH benchmark: what it measures is another
 * process's steady state. Usage: {@code ManyWorkersHarness [workers] [seconds] [channels] [mode]},
 * where mode is {@code engine} (a real coordinator, engine included: the default) or {@code
 * transport} (the gRPC transport alone, what the harness measured before 2026-11-23); see {@link
 * BenchCoordinator}.
 */
public final class ManyWorkersHarness {
  private static final String TOKEN = "bench-worker-token-0123456789";

  private ManyWorkersHarness() {}

  /**
   * Runs the measurement.
   *
   * @param args workers (10000), measured seconds (30), channels (16), mode (engine)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Exception e) {
      // the connectors and gRPC keep non-daemon threads: end the JVM rather than hang
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int channels = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    String mode = args.length > 3 ? args[3] : "engine";
    if (!mode.equals("transport") && !mode.equals("engine")) {
      throw new IllegalArgumentException("mode must be transport or engine, not " + mode);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx2g"));
    // extra flags for the coordinator JVM, such as a flight recording to profile it
    String extra = System.getProperty("poolforge.coordinatorJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BenchCoordinator.class.getName(),
            TOKEN,
            mode));
    Process coordinator =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(coordinator.getInputStream(), StandardCharsets.UTF_8));
    PrintStream cmd = new PrintStream(coordinator.getOutputStream(), true, StandardCharsets.UTF_8);
    String portLine = out.readLine();
    while (portLine != null && !portLine.startsWith("PORT ")) {
      portLine = out.readLine();
    }
    String target = "127.0.0.1:" + portLine.substring(5).trim();
    List<GrpcWorkerTransport> transports = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      transports.add(
          GrpcWorkerTransport.builder(target)
              .token(TOKEN)
              .connectTimeout(Duration.ofMinutes(2))
              .build());
    }
    WorkerListener quiet =
        new WorkerListener() {
          @Override
          public void onAssignments(List<Assignment> assignments) {}

          @Override
          public void onRevoked(List<TaskId> tasks) {}

          @Override
          public void onClosed(@Nullable PoolException reason) {}
        };
    // one real key for all: a real coordinator checks that it is an Ed25519 public key (no result
    // is ever signed here)
    Bytes publicKey =
        Bytes.of(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
    long t0 = System.nanoTime();
    ExecutorService connectors = Executors.newFixedThreadPool(32);
    List<Future<WorkerConnection>> pending = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      int n = i;
      pending.add(
          connectors.submit(
              () ->
                  transports
                      .get(n % channels)
                      .connect(
                          new Registration(
                              new WorkerInfo(
                                  new WorkerId("sim-" + n),
                                  "bench",
                                  "0xbench",
                                  publicKey,
                                  new Capabilities(
                                      Set.of("sha256"),
                                      Set.of("cpu"),
                                      List.of(),
                                      0,
                                      1,
                                      Set.of(),
                                      false)),
                              null,
                              List.of()),
                          quiet)));
    }
    List<WorkerConnection> connections = new ArrayList<>();
    try {
      for (Future<WorkerConnection> f : pending) {
        connections.add(f.get());
      }
    } catch (ExecutionException e) {
      coordinator.destroyForcibly();
      throw e;
    }
    connectors.shutdown();
    double connectSeconds = (System.nanoTime() - t0) / 1e9;
    ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);
    Heartbeat hb = new Heartbeat(0.25, 0, 0, 0, 0);
    for (WorkerConnection c : connections) {
      beats.scheduleAtFixedRate(
          () -> c.heartbeat(hb),
          ThreadLocalRandom.current().nextLong(5000),
          5000,
          TimeUnit.MILLISECONDS);
    }
    Thread.sleep(10_000);
    cmd.println("stats");
    String[] a = out.readLine().split(" ");
    long w0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    cmd.println("stats");
    String[] b = out.readLine().split(" ");
    double wall = (System.nanoTime() - w0) / 1e9;
    double cpuShare = (Long.parseLong(b[1]) - Long.parseLong(a[1])) / 1e9 / wall;
    double beatsPerSecond = (Long.parseLong(b[3]) - Long.parseLong(a[3])) / wall;
    long heap = Long.parseLong(b[2]);
    String json =
        String.format(
            Locale.ROOT,
            "{\"benchmark\":\"ManyWorkersHarness\",\"mode\":\"%s\",\"workers\":%d,\"channels\":%d,\"connect_seconds\":%.1f,"
                + "\"measured_seconds\":%.1f,\"heartbeats_per_second\":%.1f,\"coordinator_cpu_share_of_one_core\":%.4f,"
                + "\"coordinator_heap_after_gc_mb\":%.1f,\"sessions\":%s,\"streams\":%s,\"cores\":%d,\"loadavg\":\"%s\"}%n",
            mode,
            workers,
            channels,
            connectSeconds,
            wall,
            beatsPerSecond,
            cpuShare,
            heap / 1048576.0,
            b[4],
            b[5].trim(),
            Runtime.getRuntime().availableProcessors(),
            Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.print(json);
    Path dir = Path.of(System.getProperty("poolforge.results", "benchmarks/results"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("transport-many-workers.json"), json);
    beats.shutdownNow();
    for (GrpcWorkerTransport t : transports) {
      t.close();
    }
    cmd.close();
    coordinator.waitFor(10, TimeUnit.SECONDS);
    coordinator.destroyForcibly();
    System.exit(0);
  }
}
