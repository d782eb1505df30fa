package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished tasks (COMPLETED, FAILED, CANCELLED) once they are older than a time to live the
 * user sets, on a schedule, through {@link TaskStore#deleteFinishedBefore}. Works with any task
 * store.
 *
 * <p>Thread-safe. {@link #runOnce()} blocks on the store; {@link #start()} runs it periodically on
 * the scheduler, logging (not throwing) failures so one unreachable moment does not stop the job.
 *
 * @since 0.1.0
 */
public final class RetentionJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

  private final TaskStore store;
  private final Duration ttl;
  private final Duration period;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private @Nullable ScheduledFuture<?> future;

  private RetentionJob(Builder b) {
    this.store = b.store;
    this.ttl = b.ttl;
    this.period = b.period == null ? defaultPeriod(b.ttl) : b.period;
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.ownScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "poolforge-retention");
                  t.setDaemon(true);
                  return t;
                });
  }

  private static Duration defaultPeriod(Duration ttl) {
    Duration tenth = ttl.dividedBy(10);
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofHours(1);
    return tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
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
   * Deletes the finished tasks last updated more than the time to live ago, now.
   *
   * @return how many were deleted
   */
  public int runOnce() {
    return store.deleteFinishedBefore(clock.instant().minus(ttl));
  }

  /**
   * Runs {@link #runOnce()} every period, the first time after one period.
   *
   * @return this
   */
  public synchronized RetentionJob start() {
    if (future != null) {
      throw new IllegalStateException("the retention job was already started");
    }
    long ms = period.toMillis();
    future =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                int n = runOnce();
                if (n > 0) {
                  LOG.info("retention: deleted {} finished tasks older than {}", n, ttl);
                }
              } catch (RuntimeException e) {
                LOG.warn("retention: run failed, will retry in {}", period, e);
              }
            },
            ms,
            ms,
            TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops the schedule; shuts down the scheduler only if the job created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (future != null) {
      future.cancel(false);
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
  }

  /**
   * Configures a {@link RetentionJob}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable TaskStore store;
    private @Nullable Duration ttl;
    private @Nullable Duration period;
    private @Nullable Clock clock;
    private @Nullable ScheduledExecutorService scheduler;

    private Builder() {}

    private static void once(@Nullable Object current, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    private static Duration positive(String field, @Nullable Duration d) {
      Checks.notNull(field, d);
      if (d.isNegative() || d.isZero()) {
        throw PoolException.invalidArgument(field, "is " + d + ", must be positive");
      }
      return d;
    }

    /**
     * The task store to clean. Required.
     *
     * @param value the store
     * @return this
     */
    public Builder store(TaskStore value) {
      once(store, "store");
      store = Checks.notNull("store", value);
      return this;
    }

    /**
     * How long a finished task is kept after its last update. Required.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder ttl(Duration value) {
      once(ttl, "ttl");
      ttl = positive("ttl", value);
      return this;
    }

    /**
     * How often the job runs.
     *
     * @param value a positive duration; default a tenth of the ttl, within [1 s, 1 h]
     * @return this
     */
    public Builder period(Duration value) {
      once(period, "period");
      period = positive("period", value);
      return this;
    }

    /**
     * The clock that says what "now" is.
     *
     * @param value the clock; default UTC system clock
     * @return this
     */
    public Builder clock(Clock value) {
      once(clock, "clock");
      clock = Checks.notNull("clock", value);
      return this;
    }

    /**
     * The scheduler to run on; the job then does not shut it down.
     *
     * @param value the scheduler; default a daemon thread of the job's own
     * @return this
     */
    public Builder scheduler(ScheduledExecutorService value) {
      once(scheduler, "scheduler");
      scheduler = Checks.notNull("scheduler", value);
      return this;
    }

    /**
     * Builds the job, not yet started.
     *
     * @return the job
     */
    public RetentionJob build() {
      Checks.notNull("store", store);
      Checks.notNull("ttl", ttl);
      return new RetentionJob(this);
    }
  }
}
