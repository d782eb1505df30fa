package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.verify.ResultSigner;
import io.poolforge.compute.core.verify.SignedBatchVerifier;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The cost of result signatures per result: a worker signs a batch of {@code batch} results with
 * one Ed25519 signature over their Merkle root ({@link ResultSigner#signBatch}), and the
 * coordinator checks every result of it ({@link SignedBatchVerifier}: one Ed25519 check per batch;
 * {@code verify} walks each result's path alone, {@code verifyWhole} rebuilds a whole batch's tree
 * once, as a coordinator session does). Each invocation handles 1,024 results (1,024 / batch
 * batches), so the score is the time per result. Batch 1 is the old scheme's cost: one signature
 * per result.
 *
 * <p>Recorded with {@code java -jar benchmarks/target/benchmarks.jar BatchSignatureBenchmark -f 1
 * -wi 2 -w 2s -i 3 -r 2s -rf json -rff benchmarks/results/batch-signature.json}.
 *
 * <p>Run by JMH; not thread-safe.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
public class BatchSignatureBenchmark {
  static final int RESULTS = 1024;

  @Param({"1", "64", "1024"})
  int batch;

  private final KeyPair keys = ResultSigner.generateKeyPair();
  private final WorkerId worker = new WorkerId("bench");
  private final ResultSigner signer = ResultSigner.of(worker, keys.getPrivate());
  private final List<List<WorkResult>> unsigned = new ArrayList<>();
  private List<List<WorkResult>> signed = new ArrayList<>();

  @Setup
  public void prepare() {
    unsigned.clear();
    long task = 1;
    for (int b = 0; b < RESULTS / batch; b++) {
      List<WorkResult> list = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++, task++) {
        list.add(
            new WorkResult(
                new LeaseRef(new TaskId(task), 1),
                worker,
                "cpu",
                Bytes.wrap(new byte[] {(byte) task, (byte) (task >> 8), 0, 0, 0, 0, 0, 7}),
                null,
                100,
                Bytes.EMPTY));
      }
      unsigned.add(list);
    }
    signed = new ArrayList<>();
    for (List<WorkResult> list : unsigned) {
      signed.add(signer.signBatch(list));
    }
  }

  /** The worker's side: build the tree and sign its root. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(RESULTS)
  public Object sign() {
    Object last = null;
    for (List<WorkResult> list : unsigned) {
      last = signer.signBatch(list);
    }
    return last;
  }

  /** The coordinator's side: check every result, each signed root once (a fresh session). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(RESULTS)
  public int verify() {
    SignedBatchVerifier v = SignedBatchVerifier.of(keys.getPublic(), 256);
    int ok = 0;
    for (List<WorkResult> list : signed) {
      for (WorkResult r : list) {
        if (v.verify(r)) {
          ok++;
        }
      }
    }
    return allChecked(ok);
  }

  /**
   * The coordinator's side as it runs on a connection: each batch arrives whole and in order, so
   * its tree is rebuilt once ({@link SignedBatchVerifier#verifyAll}).
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(RESULTS)
  public int verifyWhole() {
    SignedBatchVerifier v = SignedBatchVerifier.of(keys.getPublic(), 256);
    int ok = 0;
    for (List<WorkResult> list : signed) {
      for (boolean b : v.verifyAll(list)) {
        if (b) {
          ok++;
        }
      }
    }
    return allChecked(ok);
  }

  /** Both sides, as one result travels: sign its batch, then check it as the coordinator does. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(RESULTS)
  public int signAndVerify() {
    SignedBatchVerifier v = SignedBatchVerifier.of(keys.getPublic(), 256);
    int ok = 0;
    for (List<WorkResult> list : unsigned) {
      for (boolean b : v.verifyAll(signer.signBatch(list))) {
        if (b) {
          ok++;
        }
      }
    }
    return allChecked(ok);
  }

  /** A benchmark whose results do not all check measured something else: fail it. */
  private static int allChecked(int ok) {
    if (ok != RESULTS) {
      throw new IllegalStateException(ok + " of " + RESULTS + " results checked");
    }
    return ok;
  }
}
