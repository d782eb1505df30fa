package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.store.LeaderLease;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a coordinator in the election of a shared store: takes or renews the {@link LeaderLease}
 * every third of its ttl on a thread of its own, and hands each change of leadership to a second
 * thread, so that a slow takeover (reloading a large store) never delays a renewal.
 *
 * <p>Thread-safe. {@link #stop()} and {@link #close()} block until both threads stopped.
 */
final class LeaderCampaign implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderCampaign.class);

  /** What a coordinator does when it gains or loses the lease; runs on the transition thread. */
  interface Transitions {
    void elected(long fencingToken);

    void deposed();
  }

  private final LeaderLease lease;
  private final Transitions transitions;
  private final ScheduledExecutorService renewals;
  private final ExecutorService changes;
  private boolean leader; // renewal thread only

  LeaderCampaign(LeaderLease lease, Transitions transitions) {
    this.lease = lease;
    this.transitions = transitions;
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("poolforge-lease").daemon().unstarted(r));
    this.changes =
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("poolforge-leadership").daemon().unstarted(r));
  }

  void start() {
    long every = Math.max(1, lease.ttl().toMillis() / 3);
    renewals.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Whether this coordinator may assign work now: its lease is held and not locally expired. */
  boolean held() {
    return lease.isHeld();
  }

  private void tick() {
    try {
      lease.tryAcquire();
    } catch (RuntimeException e) {
      LOG.warn("leader lease {}: renewal failed: {}", lease.holder(), e.getMessage());
    }
    boolean now = lease.isHeld();
    if (now && !leader) {
      leader = true;
      long token = lease.fencingToken();
      LOG.info("leader lease {}: elected with fencing token {}", lease.holder(), token);
      changes.execute(() -> transitions.elected(token));
    } else if (!now && leader) {
      leader = false;
      LOG.warn("leader lease {}: lost; scheduling stops", lease.holder());
      changes.execute(transitions::deposed);
    }
  }

  /** Stops renewing and waits for a running transition; the lease stays held until close. */
  void stop() {
    renewals.shutdownNow();
    changes.shutdown();
    try {
      renewals.awaitTermination(10, TimeUnit.SECONDS);
      changes.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops, then gives the lease up. Idempotent. */
  @Override
  public void close() {
    stop();
    try {
      lease.release(); // a standby takes over at once instead of waiting for the ttl
    } catch (RuntimeException e) {
      LOG.warn("leader lease {}: release failed; it expires by itself", lease.holder(), e);
    }
  }
}
