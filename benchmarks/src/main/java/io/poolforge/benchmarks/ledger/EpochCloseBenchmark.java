package io.poolforge.benchmarks.ledger;

import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.core.ledger.EvmMerkleTree;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU work of closing an epoch: the OpenZeppelin-compatible Merkle tree over every payee's
 * cumulative amount, every proof, and the immutable {@link EpochStatement}. Goal: 100,000 workers
 * in at most 2 s. The store's own part (summing credits, writing the statement) depends on the
 * store and is not included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class EpochCloseBenchmark {
  @Param({"1000", "100000"})
  int workers;

  private List<Payout> payouts;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    payouts = new ArrayList<>(workers);
    for (int i = 0; i < workers; i++) {
      byte[] address = new byte[20];
      random.nextBytes(address);
      payouts.add(
          new Payout(
              "0x" + HexFormat.of().formatHex(address),
              new BigInteger(80, random).add(BigInteger.ONE)));
    }
    payouts.sort((a, b) -> a.address().compareTo(b.address()));
  }

  /**
   * Builds the tree, every proof and the statement.
   *
   * @return the statement
   */
  @Benchmark
  public EpochStatement closeEpoch() {
    EvmMerkleTree tree = EvmMerkleTree.of(payouts);
    return new EpochStatement(7, Instant.EPOCH, payouts, tree.root(), tree.proofs());
  }
}
