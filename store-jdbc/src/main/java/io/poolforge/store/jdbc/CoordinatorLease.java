package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.LeaderLease;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a coordinator in the leader election of a shared database: it tries to take or renew the
 * {@link LeaderLease} every {@code renewEvery} (a third of its ttl by default) and tells a {@link
 * Listener} when this coordinator becomes the scheduler and when it stops being one. A standby
 * takes over at most ttl plus one renewal period after the leader dies.
 *
 * <p>Thread-safe. The listener runs on the scheduler thread and must not block long.
 *
 * @since 0.1.0
 */
public final class CoordinatorLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLease.class);

  /**
   * Told about changes of leadership.
   *
   * @since 0.1.0
   */
  public interface Listener {
    /**
     * This coordinator now holds the lease and may schedule.
     *
     * @param fencingToken the token of this tenure
     */
    void elected(long fencingToken);

    /** This coordinator lost the lease (or could not renew it in time) and must stop scheduling. */
    void revoked();
  }

  private final LeaderLease lease;
  private final Duration renewEvery;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private @Nullable ScheduledFuture<?> future;
  private boolean leader;

  private CoordinatorLease(Builder b) {
    this.lease = b.lease;
    this.renewEvery = b.renewEvery == null ? b.lease.ttl().dividedBy(3) : b.renewEvery;
    if (renewEvery.compareTo(lease.ttl()) >= 0) {
      throw PoolException.invalidArgument(
          "renewEvery", "is " + renewEvery + ", must be shorter than the lease ttl " + lease.ttl());
    }
    this.listener = b.listener;
    this.ownScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "poolforge-leader-lease");
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts campaigning: the first attempt runs now.
   *
   * @return this
   */
  public synchronized CoordinatorLease start() {
    if (future != null) {
      throw new IllegalStateException("the lease was already started");
    }
    future =
        scheduler.scheduleWithFixedDelay(
            this::tick, 0, renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private synchronized void tick() {
    try {
      lease.tryAcquire();
    } catch (RuntimeException e) {
      LOG.warn("leader lease: renewal failed", e);
    }
    boolean now = lease.isHeld();
    if (now && !leader) {
      leader = true;
      listener.elected(lease.fencingToken());
    } else if (!now && leader) {
      leader = false;
      listener.revoked();
    }
  }

  /**
   * Whether this coordinator may schedule now. Never blocks.
   *
   * @return true while the lease is held
   */
  public boolean isLeader() {
    return lease.isHeld();
  }

  /**
   * The fencing token of the current tenure.
   *
   * @return the token, 0 if never leader
   */
  public long fencingToken() {
    return lease.fencingToken();
  }

  /** Stops campaigning and releases the lease so a standby takes over at once. Idempotent. */
  @Override
  public synchronized void close() {
    if (future != null) {
      future.cancel(false);
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
    lease.close();
    if (leader) {
      leader = false;
      listener.revoked();
    }
  }

  /**
   * Configures a {@link CoordinatorLease}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable LeaderLease lease;
    private @Nullable Duration renewEvery;
    private @Nullable Listener listener;
    private @Nullable ScheduledExecutorService scheduler;

    private Builder() {}

    private static void once(@Nullable Object current, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * The lease, from {@link io.poolforge.compute.api.store.Stores#leaderLease()}. Required.
     *
     * @param value the lease
     * @return this
     */
    public Builder lease(LeaderLease value) {
      once(lease, "lease");
      lease = Checks.notNull("lease", value);
      return this;
    }

    /**
     * How often to take or renew the lease.
     *
     * @param value positive and shorter than the ttl; default a third of the ttl
     * @return this
     */
    public Builder renewEvery(Duration value) {
      once(renewEvery, "renewEvery");
      Checks.notNull("renewEvery", value);
      if (value.isNegative() || value.isZero()) {
        throw PoolException.invalidArgument("renewEvery", "is " + value + ", must be positive");
      }
      renewEvery = value;
      return this;
    }

    /**
     * Who is told about leadership changes. Required.
     *
     * @param value the listener
     * @return this
     */
    public Builder listener(Listener value) {
      once(listener, "listener");
      listener = Checks.notNull("listener", value);
      return this;
    }

    /**
     * The scheduler to run on; the lease then does not shut it down.
     *
     * @param value the scheduler; default a daemon thread of its own
     * @return this
     */
    public Builder scheduler(ScheduledExecutorService value) {
      once(scheduler, "scheduler");
      scheduler = Checks.notNull("scheduler", value);
      return this;
    }

    /**
     * Builds it, not yet started.
     *
     * @return the campaign
     */
    public CoordinatorLease build() {
      Checks.notNull("lease", lease);
      Checks.notNull("listener", listener);
      return new CoordinatorLease(this);
    }
  }
}
