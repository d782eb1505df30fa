package io.poolforge.benchmarks.ledger;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Credit throughput of {@link DefaultRewardLedger} over the in-memory store: one synchronous credit
 * at a time versus bursts of asynchronous credits that the ledger group-commits. Every task id is
 * new, so every credit is stored.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(4)
public class CreditBenchmark {
  private static final int BURST = 256;
  private static final String[] ADDRESSES = new String[64];
  private static final WorkerId WORKER = new WorkerId("bench-worker");
  private static final BigInteger AMOUNT = BigInteger.valueOf(1_000_000_000L);

  static {
    for (int i = 0; i < ADDRESSES.length; i++) {
      ADDRESSES[i] = String.format("0x%040x", i + 1);
    }
  }

  private final AtomicLong nextTask = new AtomicLong(1);
  private DefaultRewardLedger ledger;

  @Setup(Level.Iteration)
  public void setUp() {
    ledger = DefaultRewardLedger.builder().store(new InMemoryLedgerStore()).build();
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    ledger.close();
  }

  /**
   * One credit, waiting for it to be stored.
   *
   * @return whether it was credited
   */
  @Benchmark
  public boolean creditOneByOne() {
    long t = nextTask.getAndIncrement();
    return ledger.credit(new TaskId(t), WORKER, ADDRESSES[(int) (t & 63)], AMOUNT);
  }

  /**
   * A burst of asynchronous credits, then waiting for all of them.
   *
   * @return the last future's value
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public boolean creditAsyncBurst() {
    @SuppressWarnings("unchecked")
    CompletableFuture<Boolean>[] futures = new CompletableFuture[BURST];
    for (int i = 0; i < BURST; i++) {
      long t = nextTask.getAndIncrement();
      futures[i] = ledger.creditAsync(new TaskId(t), WORKER, ADDRESSES[(int) (t & 63)], AMOUNT);
    }
    CompletableFuture.allOf(futures).join();
    return futures[BURST - 1].join();
  }
}
