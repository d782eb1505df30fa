package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker caught cheating forfeits its open-epoch credits in the real reward ledger, through
 * {@link Forfeiter#of}, on the tracker's notification executor; other workers keep theirs.
 */
class ForfeitToLedgerTest {
  private static final String CHEATER = "0x" + "c".repeat(40);
  private static final String HONEST = "0x" + "1".repeat(40);

  private final DefaultRewardLedger ledger =
      DefaultRewardLedger.builder().store(new InMemoryLedgerStore()).build();
  private final ExecutorService notifications = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() throws Exception {
    notifications.shutdown();
    notifications.awaitTermination(10, TimeUnit.SECONDS);
    ledger.close();
  }

  @Test
  void aRefutedWorkerForfeitsItsOpenEpochCreditsOnce() throws Exception {
    CredibilityTracker tracker =
        CredibilityTracker.builder()
            .forfeiter(Forfeiter.of(ledger))
            .notificationExecutor(notifications)
            .build();
    ledger.credit(new TaskId(1), w("cheater"), CHEATER, BigInteger.valueOf(5));
    ledger.credit(new TaskId(2), w("cheater"), CHEATER, BigInteger.valueOf(7));
    ledger.credit(new TaskId(3), w("honest"), HONEST, BigInteger.valueOf(11));
    assertThat(ledger.totals()).containsEntry(CHEATER, BigInteger.valueOf(12));

    CredibilityVerifier verifier = CredibilityVerifier.builder().reputation(tracker).build();
    var spot = io.poolforge.compute.api.verify.VerificationSpec.spotCheck(1.0);
    var results =
        List.of(
            Fixtures.result("cheater", 1, "cpu", TestKinds.SQUARE, 10L),
            Fixtures.result("honest", 2, "cpu", TestKinds.SQUARE, 9L));
    verifier.judgeWithTruth(
        Fixtures.view(TestKinds.SQUARE, 3L, spot, 2),
        results,
        TestKinds.SQUARE.outputCodec().encode(9L));
    // Judged again (a late duplicate): no second forfeit.
    verifier.judgeWithTruth(
        Fixtures.view(TestKinds.SQUARE, 3L, spot, 2),
        results,
        TestKinds.SQUARE.outputCodec().encode(9L));
    notifications.submit(() -> {}).get(10, TimeUnit.SECONDS);

    assertThat(tracker.quarantined(w("cheater"))).isTrue();
    assertThat(ledger.totals().getOrDefault(CHEATER, BigInteger.ZERO)).isZero();
    assertThat(ledger.totals()).containsEntry(HONEST, BigInteger.valueOf(11));
  }
}
