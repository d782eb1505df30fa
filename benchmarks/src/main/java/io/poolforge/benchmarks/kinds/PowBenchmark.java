package io.poolforge.benchmarks.kinds;

import io.poolforge.compute.api.Bytes;
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
 * Proof-of-work search over {@value #RANGE} nonces that all miss the target (the whole range is
 * searched): double hashes per second. The {@code jdk} loop double-hashes the header with one
 * MessageDigest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PowBenchmark {
  static final int RANGE = 1 << 16;

  @Param({"jdk", "cpu1", "cpu"})
  public String impl;

  private ComputeBackend backend;
  private PowInput input;
  private byte[] header;
  private MessageDigest md;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    header = new byte[80];
    header[0] = 1;
    // target 1: no nonce meets it, so every nonce of the range is hashed
    byte[] target = new byte[32];
    target[31] = 1;
    input = PowInput.of(Bytes.of(header), 0, RANGE, Bytes.of(target));
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
  @OperationsPerInvocation(RANGE)
  public void doubleHashes(Blackhole bh) throws Exception {
    if (backend == null) {
      byte[] out = new byte[32];
      for (int nonce = 0; nonce < RANGE; nonce++) {
        header[76] = (byte) nonce;
        header[77] = (byte) (nonce >>> 8);
        md.update(header);
        md.digest(out, 0, 32);
        md.update(out);
        md.digest(out, 0, 32);
        bh.consume(out[31]);
      }
    } else {
      bh.consume(backend.execute(BuiltinKinds.pow(), List.of(input), ExecutionContext.NONE));
    }
  }
}
