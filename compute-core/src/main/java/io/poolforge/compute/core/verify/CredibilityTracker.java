package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.verify.Reputation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credibility of workers per task kind, after Sarmenta's credibility-based fault tolerance: the
 * estimated probability that a worker's next result for a kind is correct.
 *
 * <p>A newcomer starts at {@code 1 - f}, where {@code f} is the assumed fraction of faulty workers
 * ({@link Builder#assumedFaultyFraction}); an attested newcomer starts with less distrust. Trust is
 * earned slowly: each <em>verified</em> correct result (a replica agreed, the kind's check
 * confirmed it, a trusted recompute matched) shrinks the distrust {@code 1 - credibility} as {@code
 * h / (h + verified)}; results accepted without a check earn nothing. Trust is lost fast: losing a
 * vote halves the verified count and multiplies the distrust by {@link Builder#failurePenalty}; a
 * result proven wrong (refuted by the kind's own check or by a trusted recompute) quarantines the
 * worker at once. A worker whose credibility for any kind falls below {@link
 * Builder#blacklistBelow} is quarantined too. Both counts decay with {@link Builder#halfLife}, so
 * trust left unexercised fades and old failures are forgiven. Credibility is kept per kind: trust
 * earned on an easy kind does not carry over to a hard one; quarantine applies to the whole worker.
 *
 * <p>When a worker is quarantined, the tracker forfeits its open-epoch credits through the {@link
 * Forfeiter} and tells every quarantine listener (with the {@link PoolEvent.WorkerQuarantined} the
 * engine publishes), once per quarantine, on the notification executor.
 *
 * <p>Thread-safe. Reads never block; updates do not block unless the notification executor runs the
 * forfeiter inline and the forfeiter blocks.
 *
 * @since 0.1.0
 */
public final class CredibilityTracker implements Reputation {
  private static final Logger log = LoggerFactory.getLogger(CredibilityTracker.class);
  private static final double MAX_CREDIBILITY = 1.0 - 1e-12;

  private final Clock clock;
  private final double newcomerDistrust;
  private final double attestedFactor;
  private final double buildup;
  private final double penalty;
  private final double halfLifeNanos;
  private final double blacklistBelow;
  private final Forfeiter forfeiter;
  private final Executor notifier;

  private final Map<Key, Standing> standings = new ConcurrentHashMap<>();
  private final Map<WorkerId, PoolEvent.WorkerQuarantined> quarantined = new ConcurrentHashMap<>();
  private final AtomicLong quarantineVersion = new AtomicLong();
  private final Map<WorkerId, Boolean> attested = new ConcurrentHashMap<>();
  private final List<Consumer<? super PoolEvent.WorkerQuarantined>> listeners =
      new CopyOnWriteArrayList<>();

  private CredibilityTracker(Builder b) {
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.newcomerDistrust = b.faultyFraction == null ? 0.2 : b.faultyFraction;
    this.attestedFactor = b.attestedDistrust == null ? 0.5 : b.attestedDistrust;
    this.buildup = b.buildup == null ? 3.0 : b.buildup;
    this.penalty = b.penalty == null ? 4.0 : b.penalty;
    this.halfLifeNanos = (b.halfLife == null ? Duration.ofDays(7) : b.halfLife).toNanos();
    this.blacklistBelow = b.blacklistBelow == null ? 0.5 : b.blacklistBelow;
    this.forfeiter = b.forfeiter == null ? Forfeiter.NONE : b.forfeiter;
    this.notifier = b.notifier == null ? Runnable::run : b.notifier;
  }

  /**
   * Starts a builder. Defaults: system UTC clock, assumed faulty fraction 0.2, trust buildup 3,
   * failure penalty 4, half-life 7 days, blacklist below 0.5, attested distrust factor 0.5, no
   * forfeiter, notifications on the calling thread.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public double credibility(WorkerId worker, String kind) {
    Args.notNull("worker", worker);
    Args.notNull("kind", kind);
    if (quarantined.containsKey(worker)) {
      return 0.0;
    }
    return credibilityOf(worker, decayed(standings.get(new Key(worker, kind))));
  }

  /** Grows by one each time a worker is newly quarantined (after it shows as quarantined). */
  @Override
  public long quarantineVersion() {
    return quarantineVersion.get();
  }

  @Override
  public boolean quarantined(WorkerId worker) {
    return quarantined.containsKey(Args.notNull("worker", worker));
  }

  /**
   * Why and when a worker was quarantined.
   *
   * @param worker the worker
   * @return the quarantine event, or null if the worker is not quarantined
   */
  public PoolEvent.@Nullable WorkerQuarantined quarantine(WorkerId worker) {
    return quarantined.get(Args.notNull("worker", worker));
  }

  /**
   * The credibility a newcomer of this worker's standing starts with: {@code 1 - f}, or higher when
   * the worker is attested.
   *
   * @param worker the worker
   * @return the starting credibility
   */
  public double priorCredibility(WorkerId worker) {
    return 1.0 - priorDistrust(worker);
  }

  /**
   * How much of a newcomer's distrust is left for the worker on a kind: 1 for a newcomer, falling
   * towards 0 as verified results accumulate, above 1 after lost votes. Spot-check rates scale with
   * it.
   *
   * @param worker the worker
   * @param kind the kind id
   * @return the ratio of the worker's distrust to a plain newcomer's, &gt;= 0
   */
  public double distrustRatio(WorkerId worker, String kind) {
    Args.notNull("worker", worker);
    Args.notNull("kind", kind);
    if (quarantined.containsKey(worker)) {
      return 1.0 / newcomerDistrust;
    }
    return Math.min(1.0, distrust(worker, decayed(standings.get(new Key(worker, kind)))))
        / newcomerDistrust;
  }

  /**
   * How many verified results the worker has on a kind, after decay.
   *
   * @param worker the worker
   * @param kind the kind id
   * @return the decayed count, &gt;= 0
   */
  public double verifiedCount(WorkerId worker, String kind) {
    Standing s = decayed(standings.get(new Key(worker, kind)));
    return s == null ? 0.0 : s.verified;
  }

  /**
   * Records that the worker presented an attestation that verified; it then starts with less
   * distrust on every kind.
   *
   * @param worker the worker
   */
  public void recordAttested(WorkerId worker) {
    attested.put(Args.notNull("worker", worker), Boolean.TRUE);
  }

  /**
   * Marks an attested worker (one whose capabilities say its attestation verified) so that it
   * starts with less distrust.
   *
   * @param worker the worker as registered
   */
  @Override
  public void workerRegistered(WorkerInfo worker) {
    Args.notNull("worker", worker);
    if (worker.capabilities().attested()) {
      recordAttested(worker.id());
    }
  }

  /**
   * Records a verified correct result: raises the worker's credibility for the kind.
   *
   * @param worker the worker
   * @param kind the kind id
   */
  public void recordVerified(WorkerId worker, String kind) {
    Args.notNull("worker", worker);
    Args.notNull("kind", kind);
    standings.compute(
        new Key(worker, kind),
        (k, old) -> {
          Standing s = decayedOrNew(old);
          return new Standing(s.verified + 1.0, s.failures, s.at);
        });
  }

  /**
   * Records that the worker's result lost a vote without proof that it was wrong: halves its
   * verified count, multiplies its distrust by the failure penalty, and quarantines it if its
   * credibility falls below the blacklist threshold.
   *
   * @param worker the worker
   * @param kind the kind id
   * @param task the task it lost on
   * @return true if this quarantined the worker
   */
  public boolean recordOutvoted(WorkerId worker, String kind, TaskId task) {
    Args.notNull("worker", worker);
    Args.notNull("kind", kind);
    Args.notNull("task", task);
    standings.compute(
        new Key(worker, kind),
        (k, old) -> {
          Standing s = decayedOrNew(old);
          return new Standing(s.verified / 2.0, s.failures + 1.0, s.at);
        });
    double cr = credibility(worker, kind);
    if (cr < blacklistBelow) {
      return quarantine(
          worker,
          String.format(
              "credibility %.3f on %s fell below the blacklist threshold %.3f after being"
                  + " outvoted on %s",
              cr, kind, blacklistBelow, task));
    }
    return false;
  }

  /**
   * Records a result proven wrong (refuted by the kind's own check or by a trusted recompute):
   * resets the worker's standing on the kind and quarantines it.
   *
   * @param worker the worker
   * @param kind the kind id
   * @param task the task
   * @param reason what refuted it
   * @return true if this quarantined the worker (false if it already was)
   */
  public boolean recordRefuted(WorkerId worker, String kind, TaskId task, String reason) {
    Args.notNull("worker", worker);
    Args.notNull("kind", kind);
    Args.notNull("task", task);
    Args.notNull("reason", reason);
    standings.compute(
        new Key(worker, kind),
        (k, old) -> {
          Standing s = decayedOrNew(old);
          return new Standing(0.0, s.failures + 1.0, s.at);
        });
    return quarantine(worker, "wrong result for " + task + " (" + kind + "): " + reason);
  }

  /**
   * Quarantines a worker: it gets no more work, its open-epoch credits are forfeited, and the
   * listeners are told. Idempotent: a worker already quarantined keeps its first reason.
   *
   * @param worker the worker
   * @param reason why
   * @return true if the worker was quarantined now, false if it already was
   */
  public boolean quarantine(WorkerId worker, String reason) {
    Args.notNull("worker", worker);
    Args.notNull("reason", reason);
    PoolEvent.WorkerQuarantined event =
        new PoolEvent.WorkerQuarantined(clock.instant(), worker, reason);
    if (quarantined.putIfAbsent(worker, event) != null) {
      return false;
    }
    quarantineVersion.incrementAndGet();
    log.warn("Quarantined worker {}: {}", worker, reason);
    notifier.execute(() -> notifyQuarantined(event));
    return true;
  }

  /**
   * Lifts a quarantine, for an operator who cleared the worker. Its standing is kept: it returns
   * with the low credibility that caused the quarantine, or a newcomer's if that has decayed.
   *
   * @param worker the worker
   * @return true if it was quarantined
   */
  public boolean release(WorkerId worker) {
    return quarantined.remove(Args.notNull("worker", worker)) != null;
  }

  /**
   * The workers in quarantine now.
   *
   * @return a snapshot of the quarantine events by worker
   */
  public Map<WorkerId, PoolEvent.WorkerQuarantined> quarantinedWorkers() {
    return Map.copyOf(quarantined);
  }

  /**
   * Adds a listener told of each new quarantine, on the notification executor. A listener that
   * throws is logged and does not stop the others.
   *
   * @param listener the listener
   */
  public void addQuarantineListener(Consumer<? super PoolEvent.WorkerQuarantined> listener) {
    listeners.add(Args.notNull("listener", listener));
  }

  /**
   * Removes a listener.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeQuarantineListener(Consumer<? super PoolEvent.WorkerQuarantined> listener) {
    return listeners.remove(listener);
  }

  private void notifyQuarantined(PoolEvent.WorkerQuarantined event) {
    try {
      forfeiter.forfeit(event.worker(), event.reason());
    } catch (RuntimeException e) {
      log.error("Forfeiting the credits of quarantined worker {} failed", event.worker(), e);
    }
    for (Consumer<? super PoolEvent.WorkerQuarantined> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.error("A quarantine listener failed for worker {}", event.worker(), e);
      }
    }
  }

  private double priorDistrust(WorkerId worker) {
    return attested.containsKey(worker) ? newcomerDistrust * attestedFactor : newcomerDistrust;
  }

  private double credibilityOf(WorkerId worker, @Nullable Standing s) {
    return Math.max(0.0, Math.min(MAX_CREDIBILITY, 1.0 - distrust(worker, s)));
  }

  private double distrust(WorkerId worker, @Nullable Standing s) {
    double distrust = priorDistrust(worker);
    if (s != null) {
      distrust *= buildup / (buildup + s.verified) * Math.pow(penalty, s.failures);
    }
    return distrust;
  }

  private Standing decayedOrNew(@Nullable Standing old) {
    Standing s = decayed(old);
    return s == null ? new Standing(0.0, 0.0, clock.instant()) : s;
  }

  private @Nullable Standing decayed(@Nullable Standing s) {
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    long elapsed = Duration.between(s.at, now).toNanos();
    if (elapsed <= 0) {
      return s;
    }
    double f = Math.pow(0.5, elapsed / halfLifeNanos);
    return new Standing(s.verified * f, s.failures * f, now);
  }

  private record Key(WorkerId worker, String kind) {}

  private record Standing(double verified, double failures, Instant at) {}

  /**
   * Builds a {@link CredibilityTracker}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable Double faultyFraction;
    private @Nullable Double attestedDistrust;
    private @Nullable Double buildup;
    private @Nullable Double penalty;
    private @Nullable Duration halfLife;
    private @Nullable Double blacklistBelow;
    private @Nullable Forfeiter forfeiter;
    private @Nullable Executor notifier;

    private Builder() {}

    /**
     * Sets the clock used for decay and quarantine timestamps.
     *
     * @param value the clock
     * @return this
     */
    public Builder clock(Clock value) {
      Args.once("clock", clock != null);
      clock = Args.notNull("clock", value);
      return this;
    }

    /**
     * Sets the assumed fraction {@code f} of faulty workers; a newcomer's credibility is {@code 1 -
     * f}.
     *
     * @param value in [0.001, 0.9]
     * @return this
     */
    public Builder assumedFaultyFraction(double value) {
      Args.once("assumedFaultyFraction", faultyFraction != null);
      faultyFraction = Args.range("assumedFaultyFraction", value, 0.001, 0.9);
      return this;
    }

    /**
     * Sets how much of a newcomer's distrust an attested worker starts with.
     *
     * @param value in [0.01, 1]
     * @return this
     */
    public Builder attestedDistrustFactor(double value) {
      Args.once("attestedDistrustFactor", attestedDistrust != null);
      attestedDistrust = Args.range("attestedDistrustFactor", value, 0.01, 1.0);
      return this;
    }

    /**
     * Sets how many verified results halve a newcomer's distrust (larger earns trust more slowly).
     *
     * @param value in [0.1, 10000]
     * @return this
     */
    public Builder trustBuildup(double value) {
      Args.once("trustBuildup", buildup != null);
      buildup = Args.range("trustBuildup", value, 0.1, 10_000.0);
      return this;
    }

    /**
     * Sets the factor by which one lost vote multiplies the distrust.
     *
     * @param value in [1, 1000]
     * @return this
     */
    public Builder failurePenalty(double value) {
      Args.once("failurePenalty", penalty != null);
      penalty = Args.range("failurePenalty", value, 1.0, 1000.0);
      return this;
    }

    /**
     * Sets the half-life of verified counts and failures.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder halfLife(Duration value) {
      Args.once("halfLife", halfLife != null);
      halfLife = Args.positive("halfLife", value);
      return this;
    }

    /**
     * Sets the blacklist threshold: a worker whose credibility on a kind falls below it after a
     * lost vote is quarantined.
     *
     * @param value in [0, 1]
     * @return this
     */
    public Builder blacklistBelow(double value) {
      Args.once("blacklistBelow", blacklistBelow != null);
      blacklistBelow = Args.range("blacklistBelow", value, 0.0, 1.0);
      return this;
    }

    /**
     * Sets who forfeits a quarantined worker's open-epoch credits.
     *
     * @param value the forfeiter, such as {@link
     *     Forfeiter#of(io.poolforge.compute.api.ledger.RewardLedger)}
     * @return this
     */
    public Builder forfeiter(Forfeiter value) {
      Args.once("forfeiter", forfeiter != null);
      forfeiter = Args.notNull("forfeiter", value);
      return this;
    }

    /**
     * Sets the executor that runs the forfeiter and quarantine listeners. Give one when the
     * forfeiter blocks and updates come from a thread that must not block.
     *
     * @param value the executor
     * @return this
     */
    public Builder notificationExecutor(Executor value) {
      Args.once("notificationExecutor", notifier != null);
      notifier = Args.notNull("notificationExecutor", value);
      return this;
    }

    /**
     * Builds the tracker.
     *
     * @return a new tracker
     */
    public CredibilityTracker build() {
      return new CredibilityTracker(this);
    }
  }
}
