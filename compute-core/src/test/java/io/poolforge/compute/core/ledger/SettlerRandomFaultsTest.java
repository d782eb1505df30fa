package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many epochs with random chain failures and settler restarts: a payee is never paid more than its
 * cumulative earnings, and once the failures stop everything earned is paid.
 */
class SettlerRandomFaultsTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void neverPaysTwiceAndDropsNothing(long seed) {
    Random random = new Random(seed);
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    boolean autoMine = seed % 2 == 0;
    SimulatedChain chain = SimulatedChain.create("sim:rnd", autoMine, 1 + (int) (seed % 3));
    String[] payees = new String[6];
    for (int i = 0; i < payees.length; i++) {
      payees[i] = String.format("0x%040x", 0xc0ffee00L + i);
    }
    long task = 1;
    try (DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(store).build()) {
      Settler settler = newSettler(store, chain, random);
      for (int epoch = 0; epoch < 25; epoch++) {
        for (int c = random.nextInt(4); c > 0; c--) {
          ledger.credit(
              new TaskId(task++),
              new WorkerId("w" + random.nextInt(3)),
              payees[random.nextInt(payees.length)],
              BigInteger.valueOf(1 + random.nextInt(1000)));
        }
        if (task > 1 && random.nextInt(3) == 0) {
          // a duplicate result for an old task: never credited again
          assertThat(
                  ledger.credit(
                      new TaskId(1 + random.nextInt((int) task - 1)),
                      new WorkerId("late"),
                      payees[0],
                      BigInteger.TEN))
              .isFalse();
        }
        EpochStatement statement = ledger.closeEpoch();
        for (int pass = random.nextInt(4); pass > 0; pass--) {
          injectFault(chain, random);
          if (random.nextInt(5) == 0) {
            settler = newSettler(store, chain, random); // a coordinator restart
          }
          settler.runOnce();
          if (!autoMine || random.nextBoolean()) {
            chain.mine();
          }
          assertNeverOverpaid(chain, statement);
        }
      }
      // the failures stop; one more epoch carries anything rejected
      EpochStatement last = ledger.closeEpoch();
      settler = newSettler(store, chain, random);
      for (int pass = 0; pass < 20; pass++) {
        settler.runOnce();
        chain.mine();
        assertNeverOverpaid(chain, last);
      }
      boolean anyRejected = !store.settlements(EnumSet.of(SettlementState.REJECTED)).isEmpty();
      if (anyRejected) {
        last = ledger.closeEpoch();
        for (int pass = 0; pass < 20; pass++) {
          settler.runOnce();
          chain.mine();
        }
      }
      assertThat(settler.inFlight("sim:rnd")).isEmpty();
      Map<String, BigInteger> earned = ledger.totals();
      for (Payout p : last.entries()) {
        assertThat(chain.balanceOf(p.address()))
            .as("paid to %s", p.address())
            .isEqualTo(p.amount());
        assertThat(earned.get(p.address())).isEqualTo(p.amount());
      }
    }
  }

  private static Settler newSettler(InMemoryLedgerStore store, SimulatedChain chain, Random r) {
    return Settler.builder()
        .store(store)
        .chains(List.of(chain))
        .maxPayoutsPerBatch(1 + r.nextInt(4))
        .build();
  }

  private static void injectFault(SimulatedChain chain, Random random) {
    switch (random.nextInt(8)) {
      case 0 -> chain.faults().failNextSends(1 + random.nextInt(2));
      case 1 -> chain.faults().timeOutNextSends(1);
      case 2 -> chain.faults().dropNextSends(1);
      case 3 -> chain.faults().loseNextStatuses(1 + random.nextInt(3));
      case 4 -> chain.faults().takeNextNonce();
      case 5 -> {
        if (random.nextInt(3) == 0) {
          chain.faults().revertNext("random revert");
        }
      }
      default -> {}
    }
  }

  private static void assertNeverOverpaid(SimulatedChain chain, EpochStatement latest) {
    for (Payout p : latest.entries()) {
      assertThat(chain.balanceOf(p.address()))
          .as("balance of %s against its cumulative earnings", p.address())
          .isLessThanOrEqualTo(p.amount());
    }
  }
}
