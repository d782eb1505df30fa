package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.Sha256Input;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Companion to the JMH kinds benchmarks for shared, overloaded machines: the overhead of the
 * PoolForge path (backend-cpu with one thread) over the bare JDK loop, measured as <em>process CPU
 * time per operation</em> in interleaved rounds (A B B A ...) inside one JVM, so that both sides
 * see the same machine load. Wall-clock throughput on a machine whose cores are busy with other
 * work mostly measures the scheduler's share; CPU time per operation measures the work done.
 *
 * <p>For each configuration it prints the median of the per-round ratios {@code cpu1 / jdk} of CPU
 * nanoseconds per operation (1.00 = no overhead, 1.05 = 5 % overhead) and the operations per
 * CPU-second of each side, and writes them as JSON.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.poolforge.benchmarks.kinds.KindsCpuTime [rounds] [out.json] [config prefix]}.
 *
 * <p>Not thread-safe; a command-line program.
 *
 * @since 0.1.0
 */
public final class KindsCpuTime {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private KindsCpuTime() {}

  /** One side of a comparison: runs a batch and says how many operations it did. */
  private interface Side {
    long run();
  }

  private record Config(String name, String unit, Side jdk, Side cpu1) {}

  private record Row(
      String name, String unit, int rounds, double ratio, double jdkPerCpuSec, double cpuPerSec) {}

  /**
   * Runs the comparison.
   *
   * @param args rounds per configuration (default 11), the JSON output file (optional) and a prefix
   *     of the configurations to run (optional, e.g. {@code sha256})
   * @throws Exception if a kind fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    ComputeBackend cpu1 = Objects.requireNonNull(Impl.backend("cpu1"));
    List<Row> rows = new ArrayList<>();
    try {
      for (Config c : configs(cpu1)) {
        if (args.length > 2 && !c.name.startsWith(args[2])) {
          continue;
        }
        rows.add(measure(c, rounds));
        Row r = rows.get(rows.size() - 1);
        System.out.printf(
            Locale.ROOT,
            "%-22s cpu1/jdk CPU per op: %.3f (median of %d rounds); jdk %.4g, cpu1 %.4g %s per"
                + " CPU-second%n",
            r.name,
            r.ratio,
            r.rounds,
            r.jdkPerCpuSec,
            r.cpuPerSec,
            r.unit);
      }
    } finally {
      cpu1.close();
    }
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), json(rows));
    }
  }

  private static Row measure(Config c, int rounds) {
    // warm up both sides (JIT) before measuring
    for (int i = 0; i < 2; i++) {
      timed(c.jdk);
      timed(c.cpu1);
    }
    double[] ratio = new double[rounds];
    double[] a = new double[rounds];
    double[] b = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      double ja;
      double cb;
      if ((r & 1) == 0) {
        ja = timed(c.jdk);
        cb = timed(c.cpu1);
      } else {
        cb = timed(c.cpu1);
        ja = timed(c.jdk);
      }
      a[r] = ja;
      b[r] = cb;
      ratio[r] = cb / ja;
    }
    return new Row(c.name, c.unit, rounds, median(ratio), 1e9 / median(a), 1e9 / median(b));
  }

  /**
   * CPU nanoseconds per operation of one side, repeating its batch for at least one CPU-second (the
   * process CPU clock may tick in 10 ms steps, so shorter windows would quantize the ratio).
   */
  private static double timed(Side side) {
    long ops = 0;
    long c0 = OS.getProcessCpuTime();
    long c1;
    do {
      ops += side.run();
      c1 = OS.getProcessCpuTime();
    } while (c1 - c0 < 1_000_000_000L);
    return (double) (c1 - c0) / ops;
  }

  private static List<Config> configs(ComputeBackend cpu1) throws NoSuchAlgorithmException {
    List<Config> out = new ArrayList<>();
    for (int size : new int[] {64, 1024, 4096}) {
      out.add(sha256(cpu1, size));
    }
    out.add(pow(cpu1));
    out.add(modexp(cpu1, 2048));
    out.add(modexp(cpu1, 4096));
    out.add(render(cpu1));
    return out;
  }

  private static Config sha256(ComputeBackend cpu1, int size) throws NoSuchAlgorithmException {
    byte[][] raw = Workloads.messages(size);
    Sha256Input input = new Sha256Input(Workloads.asBytes(raw));
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long[] sink = new long[1];
    Side jdk =
        () -> {
          for (byte[] m : raw) {
            sink[0] += md.digest(m)[0];
          }
          return raw.length;
        };
    Side pf =
        () -> {
          sink[0] +=
              cpu1.execute(BuiltinKinds.sha256(), List.of(input), ExecutionContext.NONE).size();
          return raw.length;
        };
    return new Config("sha256 " + size + " B", "hashes", jdk, pf);
  }

  private static Config pow(ComputeBackend cpu1) throws NoSuchAlgorithmException {
    byte[] header = Workloads.powHeader();
    PowInput input = Workloads.powInput();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long[] sink = new long[1];
    Side jdk =
        () -> {
          sink[0] += Workloads.bareDoubleHashes(md, header);
          return Workloads.POW_RANGE;
        };
    Side pf =
        () -> {
          sink[0] += cpu1.execute(BuiltinKinds.pow(), List.of(input), ExecutionContext.NONE).size();
          return Workloads.POW_RANGE;
        };
    return new Config("pow", "double hashes", jdk, pf);
  }

  private static Config modexp(ComputeBackend cpu1, int bits) {
    ModExpInput input = Workloads.modexp(bits);
    long[] sink = new long[1];
    Side jdk =
        () -> {
          for (ModExpOp op : input.ops()) {
            sink[0] += op.base().modPow(op.exponent(), op.modulus()).signum();
          }
          return input.ops().size();
        };
    Side pf =
        () -> {
          sink[0] +=
              cpu1.execute(BuiltinKinds.modexp(), List.of(input), ExecutionContext.NONE).size();
          return input.ops().size();
        };
    return new Config("modexp " + bits, "modexps", jdk, pf);
  }

  private static Config render(ComputeBackend cpu1) {
    RenderInput input = Workloads.frame();
    long samples = (long) Workloads.RENDER_W * Workloads.RENDER_H * Workloads.RENDER_SPP;
    long[] sink = new long[1];
    Side jdk =
        () -> {
          sink[0] += RenderKind.render(input).hashCode();
          return samples;
        };
    Side pf =
        () -> {
          sink[0] +=
              cpu1.execute(BuiltinKinds.render(), List.of(input), ExecutionContext.NONE).size();
          return samples;
        };
    return new Config("render", "samples", jdk, pf);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static String json(List<Row> rows) throws IOException {
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      sb.append(
          String.format(
              Locale.ROOT,
              "  {\"config\": \"%s\", \"unit\": \"%s\", \"rounds\": %d, \"cpu1OverJdkCpuPerOp\":"
                  + " %.4f, \"jdkPerCpuSecond\": %.6g, \"cpu1PerCpuSecond\": %.6g}%s%n",
              r.name,
              r.unit,
              r.rounds,
              r.ratio,
              r.jdkPerCpuSec,
              r.cpuPerSec,
              i + 1 < rows.size() ? "," : ""));
    }
    return sb.append("]\n").toString();
  }
}
