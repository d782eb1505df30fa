package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
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
 * Modular exponentiation with full-size exponents (as an RSA private-key operation) over a batch of
 * {@value Workloads#MODEXP_BATCH} odd moduli: exponentiations per second. The {@code jdk} loop
 * calls BigInteger.modPow.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ModExpBenchmark {
  @Param({"jdk", "cpu1", "cpu"})
  public String impl;

  @Param({"2048", "4096"})
  public int bits;

  private ComputeBackend backend;
  private ModExpInput input;

  @Setup(Level.Trial)
  public void setUp() {
    input = Workloads.modexp(bits);
    backend = Impl.backend(impl);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (backend != null) {
      backend.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workloads.MODEXP_BATCH)
  public void modexps(Blackhole bh) {
    if (backend == null) {
      for (ModExpOp op : input.ops()) {
        bh.consume(op.base().modPow(op.exponent(), op.modulus()));
      }
    } else {
      bh.consume(backend.execute(BuiltinKinds.modexp(), List.of(input), ExecutionContext.NONE));
    }
  }
}
