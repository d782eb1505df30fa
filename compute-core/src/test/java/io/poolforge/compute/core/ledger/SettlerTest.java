package io.poolforge.compute.core.ledger;

import static io.poolforge.compute.core.ledger.DefaultRewardLedgerTest.ALICE;
import static io.poolforge.compute.core.ledger.DefaultRewardLedgerTest.BOB;
import static io.poolforge.compute.core.ledger.DefaultRewardLedgerTest.W1;
import static io.poolforge.compute.core.ledger.DefaultRewardLedgerTest.W2;
import static io.poolforge.compute.core.ledger.DefaultRewardLedgerTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import io.poolforge.compute.api.store.SettlementRecord;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettlerTest {
  private final InMemoryLedgerStore store = new InMemoryLedgerStore();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicLong nextTask = new AtomicLong(1);
  private final DefaultRewardLedger ledger =
      DefaultRewardLedger.builder().store(store).clock(clock).build();

  @AfterEach
  void close() {
    ledger.close();
  }

  private Settler settler(SettlementChain... chains) {
    return Settler.builder()
        .store(store)
        .chains(List.of(chains))
        .clock(clock)
        .listener(events::add)
        .build();
  }

  private void earn(String address, long amount) {
    ledger.credit(new TaskId(nextTask.getAndIncrement()), W1, address, BigInteger.valueOf(amount));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  private List<SettlementState> statesOf(String chain) {
    List<SettlementState> out = new ArrayList<>();
    for (PoolEvent e : events) {
      if (e instanceof PoolEvent.SettlementChanged c && c.chain().equals(chain)) {
        out.add(c.state());
      }
    }
    return out;
  }

  private SettlementRecord only(String chain, long epoch) {
    return store.settlement(SettlementBatch.keyOf(epoch, chain, 0)).orElseThrow();
  }

  @Test
  void paysAnEpochAndThenOnlyTheDifference() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    Settler settler = settler(chain);
    earn(ALICE, 100);
    earn(BOB, 30);
    ledger.closeEpoch();
    settler.runOnce();
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(100));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(30));
    assertThat(statesOf("sim:1"))
        .containsExactly(
            SettlementState.PENDING,
            SettlementState.SIGNED,
            SettlementState.SUBMITTED,
            SettlementState.CONFIRMED);
    assertThat(only("sim:1", 0).sends()).isOne();

    earn(ALICE, 5);
    ledger.closeEpoch();
    settler.runOnce();
    assertThat(only("sim:1", 1).batch().payouts()).containsExactly(new Payout(ALICE, big(5)));
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(105));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(30));

    // nothing new: another pass and another empty epoch pay nothing
    ledger.closeEpoch();
    settler.runOnce();
    settler.runOnce();
    assertThat(chain.paidBatches()).isEqualTo(2);
  }

  @Test
  void aSendThatNeverArrivedIsResentWithTheSameBytes() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    chain.faults().failNextSends(2);
    Settler settler = settler(chain);
    earn(ALICE, 10);
    ledger.closeEpoch();
    settler.runOnce();
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.SUBMITTED);
    SignedSettlement firstBytes = r.signed();
    settler.runOnce(); // status: unknown -> resend, fails again
    settler.runOnce(); // resend arrives
    r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(r.signed()).isEqualTo(firstBytes);
    assertThat(r.sends()).isEqualTo(3);
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
  }

  @Test
  void aTimedOutSendThatLandedIsNotSentAgain() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    chain.faults().timeOutNextSends(1).loseNextStatuses(1);
    Settler settler = settler(chain);
    earn(ALICE, 10);
    ledger.closeEpoch();
    settler.runOnce(); // send times out after delivery
    assertThat(only("sim:1", 0).state()).isEqualTo(SettlementState.SUBMITTED);
    settler.runOnce(); // the confirmation is lost
    assertThat(only("sim:1", 0).state()).isEqualTo(SettlementState.SUBMITTED);
    settler.runOnce(); // status: confirmed
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(r.sends()).isOne();
    assertThat(r.detail()).contains(r.signed().transactionId().toHex());
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(chain.paidBatches()).isOne();
  }

  @Test
  void aDroppedTransactionIsResent() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    chain.faults().dropNextSends(1);
    Settler settler = settler(chain);
    earn(ALICE, 10);
    ledger.closeEpoch();
    settler.runOnce();
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(r.sends()).isEqualTo(2);
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
  }

  @Test
  void aTransactionWhoseNonceWasTakenIsRequeuedAndSignedAnew() {
    SimulatedChain chain = SimulatedChain.create("sim:1", false, 1);
    Settler settler = settler(chain);
    earn(ALICE, 10);
    ledger.closeEpoch();
    settler.runOnce();
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.SUBMITTED);
    SignedSettlement old = r.signed();

    chain.faults().takeNextNonce();
    settler.runOnce(); // REQUEUED, signed anew, sent
    r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.SUBMITTED);
    assertThat(r.signed().transactionId()).isNotEqualTo(old.transactionId());
    chain.mine();
    settler.runOnce();
    assertThat(only("sim:1", 0).state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(statesOf("sim:1"))
        .containsExactly(
            SettlementState.PENDING,
            SettlementState.SIGNED,
            SettlementState.SUBMITTED,
            SettlementState.REQUEUED,
            SettlementState.SIGNED,
            SettlementState.SUBMITTED,
            SettlementState.CONFIRMED);
    // the old bytes can never pay now
    assertThat(chain.status(old).state()).isEqualTo(SettlementState.REQUEUED);
  }

  @Test
  void aRevertIsRejectedWithTheReasonAndCarriedIntoTheNextEpoch() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    chain.faults().revertNext("payout contract paused");
    Settler settler = settler(chain);
    earn(ALICE, 10);
    ledger.closeEpoch();
    settler.runOnce();
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.REJECTED);
    assertThat(r.detail()).contains("payout contract paused");
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        PoolEvent.SettlementChanged.class,
                        c -> {
                          assertThat(c.state()).isEqualTo(SettlementState.REJECTED);
                          assertThat(c.detail()).contains("payout contract paused");
                        }));
    assertThat(chain.balanceOf(ALICE)).isZero();

    earn(BOB, 3);
    ledger.closeEpoch();
    settler.runOnce();
    assertThat(only("sim:1", 1).state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(3));
  }

  @Test
  void aRestartedSettlerResumesWithoutPayingTwice() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    chain.faults().timeOutNextSends(1).loseNextStatuses(1);
    earn(ALICE, 10);
    earn(BOB, 20);
    ledger.closeEpoch();
    settler(chain).runOnce(); // delivered, but the coordinator never learned it
    assertThat(only("sim:1", 0).state()).isEqualTo(SettlementState.SUBMITTED);

    // "restart": a new settler over the same store
    Settler second = settler(chain);
    second.runOnce();
    second.runOnce();
    assertThat(only("sim:1", 0).state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(only("sim:1", 0).sends()).isOne();
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(20));
    assertThat(chain.paidBatches()).isOne();

    // and a third one after the next epoch pays only the difference
    earn(ALICE, 1);
    ledger.closeEpoch();
    settler(chain).runOnce();
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(11));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(20));
  }

  @Test
  void signedBytesStoredBeforeACrashAreTheOnesSent() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    earn(ALICE, 10);
    EpochStatement s = ledger.closeEpoch();
    // a crash right after the SIGNED record was stored, before the first send
    SettlementBatch batch =
        SettlementBatch.of(0, "sim:1", 0, List.of(new Payout(ALICE, big(10))), s.merkleRoot());
    SignedSettlement signed = chain.sign(batch);
    store.putSettlement(
        new SettlementRecord(batch, SettlementState.SIGNED, signed, 0, clock.instant(), null));

    settler(chain).runOnce();
    SettlementRecord r = only("sim:1", 0);
    assertThat(r.state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(r.signed()).isEqualTo(signed);
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(chain.paidBatches()).isOne();
  }

  @Test
  void aPartlyStoredPlanIsCompletedAfterARestart() {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    earn(ALICE, 10);
    earn(BOB, 20);
    EpochStatement s = ledger.closeEpoch();
    // the crash left batch 1 of a two-batch plan stored, batch 0 not
    SettlementBatch second =
        SettlementBatch.of(0, "sim:1", 1, List.of(new Payout(ALICE, big(10))), s.merkleRoot());
    store.putSettlement(
        new SettlementRecord(second, SettlementState.PENDING, null, 0, clock.instant(), null));

    Settler.builder().store(store).chains(List.of(chain)).maxPayoutsPerBatch(1).build().runOnce();
    assertThat(store.settlements(EnumSet.allOf(SettlementState.class))).hasSize(2);
    assertThat(store.settlements(EnumSet.allOf(SettlementState.class)))
        .allSatisfy(r -> assertThat(r.state()).isEqualTo(SettlementState.CONFIRMED));
    assertThat(chain.balanceOf(ALICE)).isEqualTo(big(10));
    assertThat(chain.balanceOf(BOB)).isEqualTo(big(20));
  }

  @Test
  void largeEpochsAreSplitIntoBatchesAndEveryChainIsPaid() {
    SimulatedChain a = SimulatedChain.create("sim:a");
    SimulatedChain b = SimulatedChain.create("sim:b");
    List<String> payees = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      String address = String.format("0x%040x", i);
      payees.add(address);
      earn(address, i);
    }
    ledger.closeEpoch();
    Settler settler =
        Settler.builder()
            .store(store)
            .chains(List.of(a, b))
            .maxPayoutsPerBatch(3)
            .listener(events::add)
            .build();
    settler.runOnce();
    for (int i = 0; i < 3; i++) {
      assertThat(store.settlement(SettlementBatch.keyOf(0, "sim:a", i))).isPresent();
    }
    assertThat(store.settlement(SettlementBatch.keyOf(0, "sim:a", 3))).isEmpty();
    for (int i = 1; i <= 7; i++) {
      assertThat(a.balanceOf(payees.get(i - 1))).isEqualTo(big(i));
      assertThat(b.balanceOf(payees.get(i - 1))).isEqualTo(big(i));
    }
    assertThat(a.paidBatches()).isEqualTo(3);
    assertThat(settler.inFlight("sim:a")).isEmpty();
  }

  @Test
  void theChainsOwnBatchLimitIsRespected() {
    SimulatedChain sim = SimulatedChain.create("sim:small");
    SettlementChain small =
        new SettlementChain() {
          @Override
          public String id() {
            return sim.id();
          }

          @Override
          public int maxPayoutsPerBatch() {
            return 2;
          }

          @Override
          public SignedSettlement sign(SettlementBatch batch) {
            assertThat(batch.payouts()).hasSizeLessThanOrEqualTo(2);
            return sim.sign(batch);
          }

          @Override
          public io.poolforge.compute.api.ledger.SettlementReceipt send(SignedSettlement s) {
            return sim.send(s);
          }

          @Override
          public io.poolforge.compute.api.ledger.SettlementReceipt status(SignedSettlement s) {
            return sim.status(s);
          }

          @Override
          public void close() {
            sim.close();
          }
        };
    for (int i = 1; i <= 5; i++) {
      earn(String.format("0x%040x", i), i);
    }
    ledger.closeEpoch();
    settler(small).runOnce();
    assertThat(sim.paidBatches()).isEqualTo(3);
    assertThat(sim.balanceOf(String.format("0x%040x", 5))).isEqualTo(big(5));
  }

  @Test
  void anEpochClosedEventStartsAPass() throws Exception {
    SimulatedChain chain = SimulatedChain.create("sim:1");
    Settler settler = settler(chain);
    DefaultRewardLedger hooked =
        DefaultRewardLedger.builder().store(store).clock(clock).listener(settler::onEvent).build();
    try {
      hooked.credit(new TaskId(999), W2, BOB, big(4));
      hooked.closeEpoch();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (chain.balanceOf(BOB).signum() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(chain.balanceOf(BOB)).isEqualTo(big(4));
    } finally {
      hooked.close();
    }
  }

  @Test
  void badConfigurationIsRejectedNamingTheField() {
    assertField(() -> Settler.builder().store(store).build(), "chains");
    assertField(() -> Settler.builder().chains(List.of()), "chains");
    assertField(
        () ->
            Settler.builder()
                .chains(List.of(SimulatedChain.create("sim:1"), SimulatedChain.create("sim:1"))),
        "chains");
    assertField(() -> Settler.builder().maxPayoutsPerBatch(0), "maxPayoutsPerBatch");
    assertField(
        () -> Settler.builder().chains(List.of(SimulatedChain.create("x"))).build(), "store");
  }
}
