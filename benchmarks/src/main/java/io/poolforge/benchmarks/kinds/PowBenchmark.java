package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PowInput;
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
 * Proof-of-work search over {@value Workloads#POW_RANGE} nonces that all miss the target (the whole
 * range is searched): double hashes per second. The {@code jdk} loop double-hashes the header with
 * one MessageDigest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PowBenchmark {
  @Param({"jdk", "cpu1", "cpu"})
  public String impl;

  private ComputeBackend backend;
  private PowInput input;
  private byte[] header;
  private MessageDigest md;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    header = Workloads.powHeader();
    input = Workloads.powInput();
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
  @OperationsPerInvocation(Workloads.POW_RANGE)
  public void doubleHashes(Blackhole bh) {
    if (backend == null) {
      bh.consume(Workloads.bareDoubleHashes(md, header));
    } else {
      bh.consume(backend.execute(BuiltinKinds.pow(), List.of(input), ExecutionContext.NONE));
    }
  }
}
