package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import java.security.MessageDigest;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * SHA-256 of a batch of {@value Workloads#SHA256_BATCH} messages (16 MiB at most, within the kind's
 * 32 MiB batch limit): hashes per second (MB/s = hashes/s × size). The {@code jdk} loop hashes byte
 * arrays with one MessageDigest; {@code cpu1} and {@code cpu} run the same batch through the CPU
 * backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Sha256Benchmark {
  @Param({"jdk", "cpu1", "cpu"})
  public String impl;

  @Param({"64", "1024", "4096"})
  public int size;

  private ComputeBackend backend;
  private byte[][] raw;
  private Sha256Input input;
  private MessageDigest md;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    raw = Workloads.messages(size);
    input = new Sha256Input(Workloads.asBytes(raw));
    md = MessageDigest.getInstance("SHA-256");
    backend = Impl.backend(impl);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (backend != null) {
      backend.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workloads.SHA256_BATCH)
  public void hashes(Blackhole bh) {
    if (backend == null) {
      for (byte[] m : raw) {
        bh.consume(md.digest(m));
      }
    } else {
      bh.consume(backend.execute(BuiltinKinds.sha256(), List.of(input), ExecutionContext.NONE));
    }
  }
}
