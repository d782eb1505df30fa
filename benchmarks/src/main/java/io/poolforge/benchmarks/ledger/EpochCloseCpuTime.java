package io.poolforge.benchmarks.ledger;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Companion to {@link EpochCloseBenchmark} for shared, overloaded machines: closes an epoch of N
 * payees through {@link DefaultRewardLedger} repeatedly and prints the median wall time and the
 * median CPU time of the whole process (all threads, GC included) per close. On a machine whose
 * cores are busy with other work the CPU time is the better estimate of the wall time on an idle
 * machine with as many cores.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.poolforge.benchmarks.ledger.EpochCloseCpuTime [payees] [rounds]}.
 */
public final class EpochCloseCpuTime {
  private EpochCloseCpuTime() {}

  /**
   * Runs the measurement.
   *
   * @param args payees (default 100000) and rounds (default 15, the first third is warm-up)
   */
  public static void main(String[] args) {
    int payees = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Random random = new Random(42);
    List<CreditRecord> credits = new ArrayList<>(payees);
    Instant now = Instant.now();
    for (int i = 0; i < payees; i++) {
      byte[] address = new byte[20];
      random.nextBytes(address);
      credits.add(
          new CreditRecord(
              new TaskId(i + 1),
              new WorkerId("w" + i),
              "0x" + HexFormat.of().formatHex(address),
              0,
              new BigInteger(80, random).add(BigInteger.ONE),
              now));
    }
    int warmUp = rounds / 3;
    long[] wall = new long[rounds - warmUp];
    long[] cpu = new long[rounds - warmUp];
    for (int r = 0; r < rounds; r++) {
      InMemoryLedgerStore store = new InMemoryLedgerStore();
      store.credit(credits);
      try (DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(store).build()) {
        System.gc();
        long c0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        EpochStatement s = ledger.closeEpoch();
        long w1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        if (s.entries().size() != payees) {
          throw new AssertionError("statement has " + s.entries().size() + " entries");
        }
        if (r >= warmUp) {
          wall[r - warmUp] = w1 - w0;
          cpu[r - warmUp] = c1 - c0;
        }
      }
    }
    System.out.printf(
        "epoch close, %d payees, %d measured rounds, %d cores: median wall %d ms, median process"
            + " CPU %d ms%n",
        payees,
        wall.length,
        Runtime.getRuntime().availableProcessors(),
        median(wall) / 1_000_000,
        median(cpu) / 1_000_000);
  }

  private static long median(long[] v) {
    long[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
