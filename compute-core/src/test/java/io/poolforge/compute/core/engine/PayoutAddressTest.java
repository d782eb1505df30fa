package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pool that keeps the built-in reward ledger turns away, at registration, a worker whose payout
 * address the ledger could never credit; before, such a worker's results were accepted but never
 * credited, and their completions never reached the store.
 */
class PayoutAddressTest {
  private static final String PAYEE = "0x" + "ab".repeat(20);

  @Test
  void aWorkerTheLedgerCannotPayIsRefusedAndTheOthersAreCredited() throws Exception {
    TestKinds.Echo echo = new TestKinds.Echo();
    try (InProcessTransport transport = InProcessTransport.create();
        DefaultRewardLedger ledger =
            DefaultRewardLedger.builder().store(new InMemoryLedgerStore()).build();
        Pool pool =
            Coordinator.builder()
                .kind(echo)
                .ledger(ledger)
                .transport(transport.coordinator())
                .build()) {
      WorkerNode unpaid =
          WorkerNode.builder()
              .id("unpaid")
              .transport(transport.worker())
              .kind(echo)
              .backend(new TestBackend(Set.of("echo")))
              .build();
      assertThatThrownBy(unpaid::start)
          .isInstanceOf(PoolException.class)
          .hasMessageContaining("worker.payoutAddress")
          .satisfies(
              e -> assertThat(((PoolException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      assertThat(pool.workers()).isEmpty();

      WorkerNode paid =
          WorkerNode.builder()
              .id("paid")
              .payoutAddress(PAYEE)
              .transport(transport.worker())
              .kind(echo)
              .backend(new TestBackend(Set.of("echo")))
              .build()
              .start();
      Eventually.until("registered", () -> pool.workers().size() == 1);
      assertThat(pool.submit(echo, 41L).result().get(30, TimeUnit.SECONDS).output(echo))
          .isEqualTo(42L);
      Eventually.until("credited", () -> ledger.totals().containsKey(PAYEE));
      paid.close();
    }
  }
}
