package io.poolforge.benchmarks.gpu;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.Sha256Input;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

/**
 * Measures every available backend (CUDA, OpenCL, CPU) on the same workloads in one run, on the
 * machine it runs on, and writes the figures as JSON with the devices and the date. Not JMH: GPU
 * batches run for seconds, so each figure is the median of several timed batches after a warm-up
 * batch. On a GPU host without Java it runs through the device pack:
 *
 * <pre>bash .device/run.sh main io.poolforge.benchmarks.gpu.GpuBench --out $OUT/gpu.json</pre>
 *
 * <p>Workloads: {@code pow} over 2^32 nonces against an unreachable target (nonces/s); {@code
 * sha256} of 64-byte messages from the host (hashes/s and MB/s); {@code modexp} with 2048-bit
 * moduli and full 2048-bit exponents (modexps/s, next to {@link BigInteger#modPow} on one core);
 * {@code render} of a 512x512 tile at 64 samples per pixel (samples/s); and the latency of one
 * small {@code sha256} batch from call to result (p50, p99).
 */
public final class GpuBench {
  private GpuBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --out FILE} (default benchmarks/results/gpu.json), {@code --repeats N}
   * @throws IOException if the result cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of("benchmarks/results/gpu.json");
    int repeats = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"date\": \"").append(Instant.now()).append("\",\n");
    json.append("  \"java\": \"").append(System.getProperty("java.version")).append("\",\n");
    json.append("  \"cpuCores\": ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(",\n");
    json.append("  \"driver\": \"").append(esc(driverVersion())).append("\",\n");
    json.append("  \"singleCoreModPow2048PerSecond\": ")
        .append(fmt(singleCoreModPow()))
        .append(",\n  \"backends\": [");
    boolean first = true;
    for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
      if (!p.isAvailable()) {
        System.out.println(p.id() + ": not available here, skipped");
        continue;
      }
      try (ComputeBackend b = p.create()) {
        Map<String, Object> figures = measure(b, repeats);
        json.append(first ? "\n" : ",\n").append("    {\"backend\": \"").append(b.id());
        json.append("\", \"devices\": [");
        List<String> devices = new ArrayList<>();
        for (DeviceInfo d : b.devices()) {
          devices.add(
              "{\"name\": \""
                  + esc(d.name())
                  + "\", \"memoryBytes\": "
                  + d.memoryBytes()
                  + ", \"computeUnits\": "
                  + d.computeUnits()
                  + "}");
        }
        json.append(String.join(", ", devices)).append("]");
        figures.forEach((k, v) -> json.append(", \"").append(k).append("\": ").append(v));
        json.append("}");
        first = false;
        System.out.println(b.id() + " " + figures);
      }
    }
    json.append("\n  ]\n}\n");
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, json, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  private static Map<String, Object> measure(ComputeBackend b, int repeats) {
    Map<String, Object> f = new LinkedHashMap<>();
    Random rnd = new Random(2026);
    if (b.kinds().contains("pow")) {
      byte[] header = new byte[80];
      rnd.nextBytes(header);
      boolean gpu = b.devices().stream().anyMatch(DeviceInfo::gpu);
      long nonces = gpu ? 1L << 32 : 1L << 22;
      PowInput in = new PowInput(Bytes.wrap(header), 0, nonces, unreachableTarget(), false, null);
      double s = median(repeats, () -> run(b, BuiltinKinds.pow(), List.of(in)));
      f.put("powNoncesPerSecond", fmt(nonces / s));
    }
    if (b.kinds().contains("sha256")) {
      List<Sha256Input> batch = new ArrayList<>();
      int perTask = 65_536;
      for (int t = 0; t < 16; t++) {
        List<Bytes> msgs = new ArrayList<>(perTask);
        for (int i = 0; i < perTask; i++) {
          byte[] m = new byte[64];
          rnd.nextBytes(m);
          msgs.add(Bytes.wrap(m));
        }
        batch.add(new Sha256Input(msgs));
      }
      double s = median(repeats, () -> run(b, BuiltinKinds.sha256(), batch));
      long hashes = 16L * perTask;
      f.put("sha256HashesPerSecond", fmt(hashes / s));
      f.put("sha256MegabytesPerSecond", fmt(hashes * 64 / s / 1e6));
      List<Sha256Input> one = List.of(new Sha256Input(List.of(Bytes.wrap(new byte[64]))));
      double[] lat = new double[200];
      for (int i = 0; i < lat.length; i++) {
        lat[i] = run(b, BuiltinKinds.sha256(), one);
      }
      Arrays.sort(lat);
      f.put("smallBatchLatencyP50Micros", fmt(lat[lat.length / 2] * 1e6));
      f.put("smallBatchLatencyP99Micros", fmt(lat[lat.length * 99 / 100] * 1e6));
    }
    if (b.kinds().contains("modexp")) {
      int n = b.devices().stream().anyMatch(DeviceInfo::gpu) ? 4096 : 64;
      List<ModExpOp> ops = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        BigInteger m = new BigInteger(2048, rnd).setBit(2047).setBit(0);
        ops.add(ModExpOp.of(new BigInteger(2047, rnd), new BigInteger(2048, rnd).setBit(2047), m));
      }
      List<ModExpInput> in = List.of(new ModExpInput(ops));
      double s = median(repeats, () -> run(b, BuiltinKinds.modexp(), in));
      f.put("modexp2048PerSecond", fmt(n / s));
    }
    if (b.kinds().contains("render")) {
      boolean gpu = b.devices().stream().anyMatch(DeviceInfo::gpu);
      int side = gpu ? 512 : 64;
      int spp = gpu ? 64 : 16;
      RenderInput in = RenderInput.frame(side, side, spp, 7, PixelFormat.FLOAT32);
      double s = median(repeats, () -> run(b, BuiltinKinds.render(), List.of(in)));
      f.put("renderSamplesPerSecond", fmt((double) side * side * spp / s));
    }
    return f;
  }

  private static <I, O> double run(ComputeBackend b, TaskKind<I, O> kind, List<I> inputs) {
    long t0 = System.nanoTime();
    b.execute(kind, inputs, ExecutionContext.NONE);
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds: one warm-up run, then the median of {@code repeats} runs. */
  private static double median(int repeats, java.util.function.DoubleSupplier run) {
    run.getAsDouble();
    double[] t = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      t[i] = run.getAsDouble();
    }
    Arrays.sort(t);
    return t[repeats / 2];
  }

  private static double singleCoreModPow() {
    Random rnd = new Random(1);
    BigInteger m = new BigInteger(2048, rnd).setBit(2047).setBit(0);
    BigInteger e = new BigInteger(2048, rnd).setBit(2047);
    BigInteger base = new BigInteger(2047, rnd);
    for (int i = 0; i < 20; i++) {
      base = base.modPow(e, m).add(BigInteger.ONE);
    }
    int n = 100;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      base = base.modPow(e, m).add(BigInteger.ONE);
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static Bytes unreachableTarget() {
    byte[] t = new byte[32];
    t[31] = 1; // only a hash of value <= 1 would win
    return Bytes.wrap(t);
  }

  private static String driverVersion() {
    try {
      return Files.readString(Path.of("/proc/driver/nvidia/version"))
          .lines()
          .findFirst()
          .orElse("");
    } catch (IOException | RuntimeException e) {
      return "no NVIDIA driver";
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
