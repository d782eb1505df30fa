package io.poolforge.benchmarks.ledger;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.ledger.EvmMerkleTree;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Closing an epoch for many payees. {@code merkleTreeAndStatement}: the CPU work alone, the
 * OpenZeppelin-compatible Merkle tree over every payee's cumulative amount, every proof and the
 * immutable {@link EpochStatement}. {@code ledgerCloseEpoch}: {@link
 * DefaultRewardLedger#closeEpoch} end to end over the in-memory store (summing the credits, the
 * tree, storing the statement). Goal: 100,000 workers in at most 2 s.
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
  private DefaultRewardLedger ledger;

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

  /** A fresh store holding one credit per payee, and a ledger over it. */
  @Setup(Level.Invocation)
  public void fillStore() {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    List<CreditRecord> credits = new ArrayList<>(workers);
    Instant now = Instant.now();
    for (int i = 0; i < workers; i++) {
      Payout p = payouts.get(i);
      credits.add(
          new CreditRecord(
              new TaskId(i + 1), new WorkerId("w" + i), p.address(), 0, p.amount(), now));
    }
    store.credit(credits);
    ledger = DefaultRewardLedger.builder().store(store).build();
  }

  /** Stops the ledger's commit loop. */
  @TearDown(Level.Invocation)
  public void closeLedger() {
    ledger.close();
  }

  /**
   * Closes the epoch through the ledger.
   *
   * @return the statement
   */
  @Benchmark
  public EpochStatement ledgerCloseEpoch() {
    return ledger.closeEpoch();
  }

  /**
   * Builds the tree, every proof and the statement.
   *
   * @return the statement
   */
  @Benchmark
  public EpochStatement merkleTreeAndStatement() {
    EvmMerkleTree tree = EvmMerkleTree.of(payouts);
    return new EpochStatement(7, Instant.EPOCH, payouts, tree.root(), tree.proofs());
  }
}
