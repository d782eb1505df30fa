package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * One coordinator of a highly available pair, in a child JVM for {@link HaFailoverTest}: the real
 * {@link Coordinator} with a leader lease on a shared PostgreSQL store, a {@link
 * DefaultRewardLedger} on the same database, and one in-process {@link WorkerNode} whose backend
 * takes {@value #MILLIS_PER_TASK} ms per task. Prints, flushed:
 *
 * <ul>
 *   <li>{@code STANDBY} once the pool is built;
 *   <li>{@code LEADER token} when its lease is first seen held;
 *   <li>{@code DONE id} for every task its pool completed (in memory; the store may lag).
 * </ul>
 *
 * <p>Arguments: {@code <url> <holder>}. Runs until killed.
 */
public final class HaPoolChild {
  static final long MILLIS_PER_TASK = 30;
  static final Duration LEASE_TTL = Duration.ofSeconds(3);

  private HaPoolChild() {}

  /** Where a coordinator's worker is paid. */
  static String payout(String holder) {
    return "0x" + (holder.endsWith("a") ? "a1" : "b2").repeat(20);
  }

  /** The reference backend, slowed down so that a run lasts long enough to be killed midway. */
  static final class SlowBackend extends PoolChild.ReferenceSha256Backend {
    @Override
    public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
      try {
        Thread.sleep(MILLIS_PER_TASK * inputs.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.execute(kind, inputs, context);
    }
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String url = args[0];
    String holder = args[1];
    Sha256Kind kind = BuiltinKinds.sha256();
    try (JdbcStores stores =
            JdbcStores.builder()
                .url(url)
                .holder(holder)
                .leaseTtl(LEASE_TTL)
                .maxConnections(4)
                .build();
        DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(stores.ledger()).build();
        InProcessTransport transport = InProcessTransport.create()) {
      LeaderLease lease = stores.leaderLease().orElseThrow();
      Pool pool =
          Coordinator.builder()
              .kind(kind)
              .transport(transport.coordinator())
              .taskStore(stores.tasks())
              .ledger(ledger)
              .leaderLease(lease)
              .maxBatch(8)
              .build();
      pool.events()
          .subscribe(
              new Flow.Subscriber<PoolEvent>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(PoolEvent e) {
                  if (e instanceof PoolEvent.TaskCompleted c) {
                    synchronized (out) {
                      out.println("DONE " + c.result().id().value());
                      out.flush();
                    }
                  }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      WorkerNode.builder()
          .id("worker-" + holder)
          .payoutAddress(payout(holder))
          .transport(transport.worker())
          .kind(kind)
          .backend(new SlowBackend())
          .slots(2)
          .build()
          .start();
      synchronized (out) {
        out.println("STANDBY");
        out.flush();
      }
      boolean leader = false;
      while (true) {
        if (!leader && lease.isHeld()) {
          leader = true;
          synchronized (out) {
            out.println("LEADER " + lease.fencingToken());
            out.flush();
          }
        }
        Thread.sleep(20);
      }
    }
  }
}
