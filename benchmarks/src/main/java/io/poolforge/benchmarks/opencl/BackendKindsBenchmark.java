package io.poolforge.benchmarks.opencl;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderOutput;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Output;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The built-in kinds through {@link ComputeBackend#execute}, as a worker runs them, on the OpenCL
 * backend and on the CPU backend ({@code @Param backend}). Scores are per item: SHA-256 messages
 * (64 bytes), proof-of-work nonces (double SHA-256 each), 2048-bit modular exponentiations with a
 * 2048-bit exponent, and render samples (one path per pixel sample).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BackendKindsBenchmark -f 1 -wi 2 -w 2s
 * -i 3 -r 3s -rf json -rff benchmarks/results/opencl-kinds.json}. On a machine without an OpenCL
 * platform the opencl rows fail at setup, naming the missing driver.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BackendKindsBenchmark {
  static final int MESSAGES = 8192;
  static final int NONCES = 1 << 20;
  static final int MODEXPS = 16;
  static final int TILE_W = 64;
  static final int TILE_H = 48;
  static final int SPP = 8;

  @Param({"opencl", "cpu"})
  public String backend;

  private ComputeBackend compute;
  private List<Sha256Input> sha;
  private List<PowInput> pow;
  private List<ModExpInput> modexp;
  private List<RenderInput> render;

  @Setup
  public void setUp() {
    ComputeBackendProvider provider =
        ServiceLoader.load(ComputeBackendProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.id().equals(backend))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no backend provider '" + backend + "'"));
    if (!provider.isAvailable()) {
      throw new IllegalStateException(
          "backend '" + backend + "' is not available (OpenCL needs an ICD such as PoCL)");
    }
    compute = provider.create();
    Random random = new Random(1);
    List<Bytes> messages = new ArrayList<>(MESSAGES);
    for (int i = 0; i < MESSAGES; i++) {
      byte[] m = new byte[64];
      random.nextBytes(m);
      messages.add(Bytes.wrap(m));
    }
    sha = List.of(new Sha256Input(messages));
    byte[] header = new byte[80];
    random.nextBytes(header);
    byte[] target = new byte[32];
    target[31] = 1; // no hash meets it: the whole range is searched
    pow = List.of(new PowInput(Bytes.wrap(header), 0, NONCES, Bytes.wrap(target), true, null));
    List<ModExpOp> ops = new ArrayList<>(MODEXPS);
    for (int i = 0; i < MODEXPS; i++) {
      BigInteger m = new BigInteger(2048, random).setBit(2047).setBit(0);
      ops.add(ModExpOp.of(new BigInteger(2047, random), new BigInteger(2048, random), m));
    }
    modexp = List.of(new ModExpInput(ops));
    render =
        List.of(new RenderInput(256, 192, 96, 64, TILE_W, TILE_H, SPP, 9, PixelFormat.FLOAT32));
  }

  @TearDown
  public void tearDown() {
    compute.close();
  }

  @Benchmark
  @OperationsPerInvocation(MESSAGES)
  public List<Sha256Output> sha256() {
    return compute.execute(BuiltinKinds.sha256(), sha, ExecutionContext.NONE);
  }

  @Benchmark
  @OperationsPerInvocation(NONCES)
  public List<PowOutput> pow() {
    return compute.execute(BuiltinKinds.pow(), pow, ExecutionContext.NONE);
  }

  @Benchmark
  @OperationsPerInvocation(MODEXPS)
  public List<ModExpOutput> modexp2048() {
    return compute.execute(BuiltinKinds.modexp(), modexp, ExecutionContext.NONE);
  }

  @Benchmark
  @OperationsPerInvocation(TILE_W * TILE_H * SPP)
  public List<RenderOutput> render() {
    return compute.execute(BuiltinKinds.render(), render, ExecutionContext.NONE);
  }
}
