package io.poolforge.chain.evm;

import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.store.SettlementRecord;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.ledger.Settler;
import io.poolforge.store.jdbc.JdbcStores;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * The settlement side of a coordinator, in a child JVM for {@link SettlementCrashTest}: a {@link
 * DefaultRewardLedger} and a {@link Settler} on a durable SQLite store, settling through {@link
 * EvmSettlementChain} on the test's Hardhat node. Prints one line per step, flushed:
 *
 * <ul>
 *   <li>{@code CREDITED n} after crediting the tasks (n accepted; a restart credits the same tasks
 *       again and every one is refused as a duplicate), {@code CLOSED epoch} after closing the
 *       first epoch (first run only);
 *   <li>{@code STATE s} for every stored settlement change; with a stop state given, on reaching it
 *       prints {@code STOPPED s} and freezes there, right after the store write, until killed;
 *   <li>{@code SETTLED} once nothing is in flight and a batch is CONFIRMED, then exits.
 * </ul>
 *
 * <p>Arguments: {@code first|resume <sqlite-url> <rpc-url> <private-key> <payouts> <token>
 * <stop-state|none>}.
 */
public final class SettleChild {
  static final int TASKS = 30;
  static final int WORKERS = 5;

  private SettleChild() {}

  static String address(int worker) {
    return String.format("0x%040x", 0xC0FFEE00L + worker);
  }

  static BigInteger amount(int task) {
    return BigInteger.valueOf(1_000 + 37L * task);
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    boolean first = args[0].equals("first");
    String stopAt = args[6];
    try (JdbcStores stores = JdbcStores.builder().url(args[1]).build();
        DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(stores.ledger()).build()) {
      int accepted = 0;
      for (int t = 0; t < TASKS; t++) {
        if (ledger.credit(
            new TaskId(t + 1), new WorkerId("w" + t % WORKERS), address(t % WORKERS), amount(t))) {
          accepted++;
        }
      }
      ledger.flush();
      print(out, "CREDITED " + accepted);
      if (first) {
        print(out, "CLOSED " + ledger.closeEpoch().epoch());
      }
      try (EvmSettlementChain chain =
              EvmSettlementChain.builder()
                  .rpcUrl(args[2])
                  .chainId(31337)
                  .privateKey(args[3])
                  .payoutsContract(args[4])
                  .token(args[5])
                  .pollInterval(Duration.ofMillis(20))
                  .resendInterval(Duration.ofMillis(200))
                  .build();
          Settler settler =
              Settler.builder()
                  .store(stores.ledger())
                  .chains(List.of(chain))
                  .listener(
                      e -> {
                        if (e instanceof PoolEvent.SettlementChanged c) {
                          print(out, "STATE " + c.state());
                          if (c.state().name().equals(stopAt)) {
                            print(out, "STOPPED " + c.state());
                            freeze();
                          }
                        }
                      })
                  .build()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          settler.runOnce();
          List<SettlementRecord> active =
              stores
                  .ledger()
                  .settlements(
                      EnumSet.of(
                          SettlementState.PENDING,
                          SettlementState.SIGNED,
                          SettlementState.SUBMITTED,
                          SettlementState.REQUEUED));
          if (active.isEmpty()
              && !stores.ledger().settlements(EnumSet.of(SettlementState.CONFIRMED)).isEmpty()) {
            print(out, "SETTLED");
            return;
          }
          Thread.sleep(100);
        }
        print(out, "TIMEOUT");
      }
    }
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void freeze() {
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // stay frozen until the test kills this JVM
      }
    }
  }
}
