package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.testing.TestKinds;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The builder's {@code leaderLease} option without a database: its checks, and a store that cannot
 * fence writes refusing a leader's submissions clearly. The real lease, takeover and fencing are
 * tested on SQLite and PostgreSQL in store-jdbc (FencingTest, HaFailoverTest).
 */
class LeaderLeaseOptionTest {
  /** A lease that is always held by this process, honestly named: there is no one to share it. */
  static final class SoleHolderLease implements LeaderLease {
    final AtomicInteger acquisitions = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();

    @Override
    public String holder() {
      return "sole";
    }

    @Override
    public Duration ttl() {
      return Duration.ofMillis(300);
    }

    @Override
    public boolean tryAcquire() {
      acquisitions.incrementAndGet();
      return true;
    }

    @Override
    public boolean isHeld() {
      return acquisitions.get() > 0 && releases.get() == 0;
    }

    @Override
    public long fencingToken() {
      return 1;
    }

    @Override
    public void release() {
      releases.incrementAndGet();
    }

    @Override
    public void close() {
      release();
    }
  }

  @Test
  void aLeaseNeedsATaskStoreAndIsSetOnce() {
    TestKinds.Echo echo = new TestKinds.Echo();
    SoleHolderLease lease = new SoleHolderLease();
    PoolException e =
        catchThrowableOfType(
            PoolException.class, () -> Coordinator.builder().kind(echo).leaderLease(lease).build());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo("leaderLease");
    assertThatThrownBy(() -> Coordinator.builder().leaderLease(lease).leaderLease(lease))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaderLease");
    assertThat(
            catchThrowableOfType(PoolException.class, () -> Coordinator.builder().leaderLease(null))
                .field())
        .isEqualTo("leaderLease");
  }

  @Test
  void aStoreThatCannotFenceRefusesTheLeadersWritesAndCloseReleasesTheLease() throws Exception {
    SoleHolderLease lease = new SoleHolderLease();
    TestKinds.Echo echo = new TestKinds.Echo();
    try (Pool pool =
        Coordinator.builder()
            .kind(echo)
            .taskStore(new InMemoryTaskStore())
            .leaderLease(lease)
            .build()) {
      TaskHandle h = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (h == null) {
        try {
          h = pool.submit(echo, 7L);
        } catch (PoolException standby) {
          assertThat(standby.code()).isEqualTo(ErrorCode.UNAVAILABLE); // not elected yet
          assertThat(System.nanoTime()).isLessThan(until);
          Thread.sleep(20);
        }
      }
      TaskHandle handle = h;
      ExecutionException failed =
          catchThrowableOfType(
              ExecutionException.class, () -> handle.accepted().get(10, TimeUnit.SECONDS));
      PoolException cause = (PoolException) failed.getCause();
      assertThat(cause.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
      assertThat(cause.getMessage()).contains("fencingToken").contains("InMemoryTaskStore");
    }
    assertThat(lease.releases.get()).as("close gives the lease up").isPositive();
  }
}
