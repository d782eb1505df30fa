package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
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
 * Path tracing a {@value #W}x{@value #H} tile at {@value #SPP} samples per pixel: samples per
 * second. The {@code jdk} case is the sequential reference, RenderKind.render.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RenderBenchmark {
  @Param({"jdk", "cpu1", "cpu"})
  public String impl;

  private ComputeBackend backend;
  private RenderInput input;

  @Setup(Level.Trial)
  public void setUp() {
    input = Workloads.frame();
    backend = Impl.backend(impl);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (backend != null) {
      backend.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(Workloads.RENDER_W * Workloads.RENDER_H * Workloads.RENDER_SPP)
  public void samples(Blackhole bh) {
    if (backend == null) {
      bh.consume(RenderKind.render(input));
    } else {
      bh.consume(backend.execute(BuiltinKinds.render(), List.of(input), ExecutionContext.NONE));
    }
  }
}
