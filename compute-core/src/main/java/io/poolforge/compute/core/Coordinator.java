package io.poolforge.compute.core;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.ledger.RewardLedger;
import io.poolforge.compute.api.schedule.AllocationPolicy;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.verify.AttestationVerifier;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.engine.AcceptFirstVerifier;
import io.poolforge.compute.core.engine.EngineConfig;
import io.poolforge.compute.core.engine.PoolEngine;
import io.poolforge.compute.core.scheduler.AllocationPolicies;
import io.poolforge.compute.core.verify.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds the coordinator of a compute pool, the implementation of {@link
 * io.poolforge.compute.api.Pool}:
 *
 * <pre>{@code
 * InProcessTransport transport = InProcessTransport.create();
 * Pool pool = Coordinator.builder()
 *     .kind(myKind)
 *     .transport(transport.coordinator())
 *     .build();
 * }</pre>
 *
 * <p>Not instantiable; the builder is not thread-safe, the built pool is.
 *
 * @since 0.1.0
 */
public final class Coordinator {
  private Coordinator() {}

  /**
   * Starts a builder with the defaults described on each setter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configures and starts a coordinator. Each setter checks its argument and may be called once
   * (except {@link #kind} and {@link #transport}, which add). Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, TaskKind<?, ?>> kinds = new LinkedHashMap<>();
    private final List<CoordinatorTransport> transports = new ArrayList<>();
    private final Map<String, Integer> weights = new HashMap<>();
    private final Map<String, AttestationVerifier> attestationVerifiers = new HashMap<>();
    private @Nullable Clock clock;
    private @Nullable Executor executor;
    private @Nullable AllocationPolicy policy;
    private @Nullable Verifier verifier;
    private @Nullable VerificationSpec defaultVerification;
    private @Nullable RewardLedger ledger;
    private @Nullable TaskStore taskStore;
    private @Nullable LeaderLease leaderLease;
    private @Nullable Integer maxQueuedTasks;
    private @Nullable Integer maxPayloadBytes;
    private @Nullable Duration leaseDuration;
    private @Nullable Duration reconnectGrace;
    private @Nullable Duration storeRetention;
    private @Nullable Duration agingStep;
    private @Nullable Duration targetBatch;
    private @Nullable Integer maxBatch;
    private @Nullable Integer initialBatch;
    private @Nullable Long splitAboveCost;
    private @Nullable Integer maxChunks;
    private @Nullable ComputeBackend trustedBackend;
    private @Nullable Reputation reputation;
    private @Nullable Object meterRegistry;
    private @Nullable Duration tickInterval;
    private @Nullable Integer eventBuffer;
    private @Nullable Integer finishedRetention;
    private @Nullable Long seed;

    private Builder() {}

    private static void once(String field, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * Registers a task kind. Submissions of unregistered kinds are refused.
     *
     * @param kind the kind; its id must not be registered yet
     * @return this
     */
    public Builder kind(TaskKind<?, ?> kind) {
      Args.notNull("kind", kind);
      if (kinds.putIfAbsent(kind.id(), kind) != null) {
        throw new IllegalStateException("kind '" + kind.id() + "' was already registered");
      }
      return this;
    }

    /**
     * Adds a transport that workers connect through (for example {@code
     * InProcessTransport.coordinator()} or a gRPC server). The pool starts and closes it.
     *
     * @param transport the transport
     * @return this
     */
    public Builder transport(CoordinatorTransport transport) {
      transports.add(Args.notNull("transport", transport));
      return this;
    }

    /**
     * The clock for leases, deadlines, aging and timestamps. Default: the UTC system clock.
     *
     * @param value the clock
     * @return this
     */
    public Builder clock(Clock value) {
      once("clock", clock);
      clock = Args.notNull("clock", value);
      return this;
    }

    /**
     * Runs future completions, event delivery, ledger credits and trusted recomputes. Default: the
     * common fork-join pool. The futures of urgent tasks (priority {@code HIGH} or more) complete
     * on a thread of the pool's own instead, so that they never wait behind bulk completions queued
     * here; callbacks attached to them without an executor run on that thread, so keep them short.
     *
     * @param value the executor
     * @return this
     */
    public Builder executor(Executor value) {
      once("executor", executor);
      executor = Args.notNull("executor", value);
      return this;
    }

    /**
     * The allocation policy. Default: {@link AllocationPolicies#defaultPolicy()}.
     *
     * @param value the policy
     * @return this
     */
    public Builder allocationPolicy(AllocationPolicy value) {
      once("allocationPolicy", policy);
      policy = Args.notNull("allocationPolicy", value);
      return this;
    }

    /**
     * The verifier that judges results. Default: {@link AcceptFirstVerifier}.
     *
     * @param value the verifier
     * @return this
     */
    public Builder verifier(Verifier value) {
      once("verifier", verifier);
      verifier = Args.notNull("verifier", value);
      return this;
    }

    /**
     * The verification of tasks that name none. Default: {@link VerificationSpec#cheapCheckOnly()}.
     *
     * @param value the verification
     * @return this
     */
    public Builder defaultVerification(VerificationSpec value) {
      once("defaultVerification", defaultVerification);
      defaultVerification = Args.notNull("defaultVerification", value);
      return this;
    }

    /**
     * The ledger credited once per accepted task with the kind's cost units. Default: none.
     *
     * @param value the ledger
     * @return this
     */
    public Builder ledger(RewardLedger value) {
      once("ledger", ledger);
      ledger = Args.notNull("ledger", value);
      return this;
    }

    /**
     * The task store. When set, each submission is acknowledged ({@code accepted()}) only after a
     * group-committed insert, and unfinished tasks are reloaded at start. Default: none (tasks live
     * in memory only).
     *
     * @param value the store; the pool does not close it
     * @return this
     */
    public Builder taskStore(TaskStore value) {
      once("taskStore", taskStore);
      taskStore = Args.notNull("taskStore", value);
      return this;
    }

    /**
     * High availability: several coordinators share one task store (PostgreSQL, or an SQLite file
     * on one host) and this lease, and only its holder schedules. Requires a {@link #taskStore}
     * that supports fenced writes ({@link TaskStore#update(List, long)}), such as store-jdbc's.
     *
     * <ul>
     *   <li>A <b>standby</b> (not holding the lease) accepts worker connections but assigns
     *       nothing; {@code submit} and {@code cancel} fail with UNAVAILABLE (retryable) naming the
     *       reason, so a client submits to the leader or retries after a takeover. {@code status}
     *       and {@code query} of finished tasks read the shared store.
     *   <li><b>Elected</b>, it reloads every unfinished task from the store (tasks the former
     *       leader had running go back to the queue, their old leases void) and schedules. Every
     *       task write then carries the lease's fencing token, and the store refuses it once
     *       another coordinator has taken the lease over, so a former leader that was paused cannot
     *       complete or requeue tasks after a takeover.
     *   <li><b>Deposed</b> (a renewal failed or came too late), it stops assigning at once, revokes
     *       what its workers run, fails the result futures of its tasks with UNAVAILABLE (the tasks
     *       stay durable and the next leader runs them) and campaigns again as a standby.
     * </ul>
     *
     * <p>The pool renews the lease every third of its ttl on a thread of its own and releases it on
     * close, so a standby takes over at once after a clean shutdown and within about ttl plus a
     * third after a crash. Default: none (this coordinator always schedules).
     *
     * @param value the lease, for example {@code JdbcStores.leaderLease()}; the pool releases but
     *     does not close it
     * @return this
     */
    public Builder leaderLease(LeaderLease value) {
      once("leaderLease", leaderLease);
      leaderLease = Args.notNull("leaderLease", value);
      return this;
    }

    /**
     * The most unfinished tasks (chunks included); beyond it submit fails with RESOURCE_EXHAUSTED.
     * Default: 2,000,000.
     *
     * @param value 1 to 100,000,000
     * @return this
     */
    public Builder maxQueuedTasks(int value) {
      once("maxQueuedTasks", maxQueuedTasks);
      maxQueuedTasks = Args.range("maxQueuedTasks", value, 1, 100_000_000);
      return this;
    }

    /**
     * The largest payload accepted. Default: 1 MiB.
     *
     * @param value 1 to {@link TaskSpec#MAX_PAYLOAD_BYTES}
     * @return this
     */
    public Builder maxPayloadBytes(int value) {
      once("maxPayloadBytes", maxPayloadBytes);
      maxPayloadBytes = Args.range("maxPayloadBytes", value, 1, TaskSpec.MAX_PAYLOAD_BYTES);
      return this;
    }

    /**
     * How long a worker may stay silent (no heartbeat, credit or result) before its leases lapse
     * and its tasks go to other workers. Default: 15 s. It is also how long a task waits for a
     * worker that may take its next verification copy when no connected worker may (a pool smaller
     * than its verification asks for); then it goes to a trusted recompute, or fails.
     *
     * @param value positive
     * @return this
     */
    public Builder leaseDuration(Duration value) {
      once("leaseDuration", leaseDuration);
      Args.positive("leaseDuration", value);
      if (reconnectGrace != null && reconnectGrace.compareTo(value) > 0) {
        throw PoolException.invalidArgument(
            "leaseDuration",
            "is " + value + ", shorter than the reconnectGrace of " + reconnectGrace);
      }
      leaseDuration = value;
      return this;
    }

    /**
     * How long a worker whose connection broke (not a clean close) keeps its leases so that it can
     * reconnect and resume them; when it has not registered again by then, it is lost and its tasks
     * go to other workers. A clean close loses the worker at once. After a restart on a durable
     * store, it is also how long the tasks that were running stay held for the workers that ran
     * them. Default: 5 s, or the lease duration if that is shorter.
     *
     * @param value positive, at most the lease duration
     * @return this
     */
    public Builder reconnectGrace(Duration value) {
      once("reconnectGrace", reconnectGrace);
      Args.positive("reconnectGrace", value);
      if (leaseDuration != null && value.compareTo(leaseDuration) > 0) {
        throw PoolException.invalidArgument(
            "reconnectGrace",
            "is " + value + ", must be at most the leaseDuration of " + leaseDuration);
      }
      reconnectGrace = value;
      return this;
    }

    /**
     * How long a queued task waits per priority level it is raised (aging). A task of priority p is
     * served before every later task once it has waited {@code (9 - p) * agingStep}. Default: 2 s.
     *
     * @param value positive
     * @return this
     */
    public Builder agingStep(Duration value) {
      once("agingStep", agingStep);
      agingStep = Args.positive("agingStep", value);
      return this;
    }

    /**
     * A submitter's fair-share weight within a priority level; submitters not named weigh 1.
     *
     * @param submitter the submitter
     * @param weight 1 to 1,000
     * @return this
     */
    public Builder submitterWeight(String submitter, int weight) {
      Args.notNull("submitter", submitter);
      Args.range("weight", weight, 1, 1000);
      if (weights.putIfAbsent(submitter, weight) != null) {
        throw new IllegalStateException("weight of '" + submitter + "' was already set");
      }
      return this;
    }

    /**
     * How long one batch should run on a worker; batch sizes follow from each worker's measured
     * time per task. Default: 20 ms.
     *
     * @param value positive
     * @return this
     */
    public Builder targetBatch(Duration value) {
      once("targetBatch", targetBatch);
      targetBatch = Args.positive("targetBatch", value);
      return this;
    }

    /**
     * The largest batch. Default: 4,096.
     *
     * @param value 1 to 65,536
     * @return this
     */
    public Builder maxBatch(int value) {
      once("maxBatch", maxBatch);
      maxBatch = Args.range("maxBatch", value, 1, 65_536);
      return this;
    }

    /**
     * The batch size before a worker's speed for a kind is measured. Default: 8.
     *
     * @param value 1 to 65,536
     * @return this
     */
    public Builder initialBatch(int value) {
      once("initialBatch", initialBatch);
      initialBatch = Args.range("initialBatch", value, 1, 65_536);
      return this;
    }

    /**
     * Splits tasks of kinds with a splitter whose cost exceeds this many units into chunks of about
     * this size, at most {@link #maxChunks} of them. Default: 0 (never split).
     *
     * @param costUnits &gt;= 0
     * @return this
     */
    public Builder splitAboveCost(long costUnits) {
      once("splitAboveCost", splitAboveCost);
      splitAboveCost = Args.nonNegative("splitAboveCost", costUnits);
      return this;
    }

    /**
     * The most chunks per split task. Default: 64.
     *
     * @param value 2 to 4,096
     * @return this
     */
    public Builder maxChunks(int value) {
      once("maxChunks", maxChunks);
      maxChunks = Args.range("maxChunks", value, 2, 4096);
      return this;
    }

    /**
     * A local backend the pool trusts, used when the verifier asks for a trusted recompute.
     * Default: none (such tasks fail with VERIFICATION_FAILED).
     *
     * @param value the backend; the pool does not close it
     * @return this
     */
    public Builder trustedBackend(ComputeBackend value) {
      once("trustedBackend", trustedBackend);
      trustedBackend = Args.notNull("trustedBackend", value);
      return this;
    }

    /**
     * Worker credibility (used by the weighted-score policy) and quarantine (quarantined workers
     * are refused and disconnected). Default: none.
     *
     * @param value the reputation
     * @return this
     */
    public Builder reputation(Reputation value) {
      once("reputation", reputation);
      reputation = Args.notNull("reputation", value);
      return this;
    }

    /**
     * Adds a verifier of worker attestations of one format; a worker counts as attested only when
     * one of them accepts its evidence.
     *
     * @param value the verifier
     * @return this
     */
    public Builder attestationVerifier(AttestationVerifier value) {
      Args.notNull("attestationVerifier", value);
      if (attestationVerifiers.putIfAbsent(value.format(), value) != null) {
        throw new IllegalStateException(
            "an attestation verifier for '" + value.format() + "' was already added");
      }
      return this;
    }

    /**
     * Records metrics into a Micrometer {@code MeterRegistry}: queue depth per priority, allocation
     * latency, completed and failed tasks, worker utilization. Typed as Object so that Micrometer
     * stays an optional dependency.
     *
     * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
     * @return this
     */
    public Builder meterRegistry(Object registry) {
      once("meterRegistry", meterRegistry);
      Args.notNull("meterRegistry", registry);
      boolean isRegistry;
      try {
        isRegistry =
            Class.forName(
                    "io.micrometer.core.instrument.MeterRegistry",
                    false,
                    registry.getClass().getClassLoader())
                .isInstance(registry);
      } catch (ClassNotFoundException e) {
        isRegistry = false;
      }
      if (!isRegistry) {
        throw PoolException.invalidArgument(
            "meterRegistry",
            "is a " + registry.getClass().getName() + ", not a Micrometer MeterRegistry");
      }
      meterRegistry = registry;
      return this;
    }

    /**
     * How often timers (lease expiry, deadlines) are checked. Default: 50 ms.
     *
     * @param value 1 ms to 10 s
     * @return this
     */
    public Builder tickInterval(Duration value) {
      once("tickInterval", tickInterval);
      Args.positive("tickInterval", value);
      if (value.toMillis() < 1 || value.toMillis() > 10_000) {
        throw PoolException.invalidArgument(
            "tickInterval", "is " + value + ", must be 1 ms to 10 s");
      }
      tickInterval = value;
      return this;
    }

    /**
     * Events buffered per subscriber before it is dropped. Default: 65,536.
     *
     * @param value 16 to 16,777,216
     * @return this
     */
    public Builder eventBuffer(int value) {
      once("eventBuffer", eventBuffer);
      eventBuffer = Args.range("eventBuffer", value, 16, 1 << 24);
      return this;
    }

    /**
     * Finished tasks kept in memory for status queries when no store is configured. Default:
     * 100,000.
     *
     * @param value 0 to 100,000,000
     * @return this
     */
    public Builder finishedRetention(int value) {
      once("finishedRetention", finishedRetention);
      finishedRetention = Args.range("finishedRetention", value, 0, 100_000_000);
      return this;
    }

    /**
     * How long finished tasks (completed, failed, cancelled) stay in the task store: the store's
     * writer thread deletes older ones ({@link TaskStore#deleteFinishedBefore}) about once a
     * second. Without it nothing is deleted, and a store grows by one record per task until the
     * application deletes them itself; for {@link
     * io.poolforge.compute.core.store.InMemoryTaskStore} that is heap. Status queries for a deleted
     * task answer NOT_FOUND. Default: kept.
     *
     * @param value positive, at most 3,650 days
     * @return this
     */
    public Builder storeRetention(Duration value) {
      once("storeRetention", storeRetention);
      Args.notNull("storeRetention", value);
      if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(3650)) > 0) {
        throw PoolException.invalidArgument(
            "storeRetention", "is " + value + ", must be positive and at most 3650 days");
      }
      storeRetention = value;
      return this;
    }

    /**
     * The seed of randomized allocators, for reproducible runs. Default: 42.
     *
     * @param value the seed
     * @return this
     */
    public Builder seed(long value) {
      once("seed", seed);
      seed = value;
      return this;
    }

    /**
     * Starts the coordinator.
     *
     * @return the running pool
     * @throws PoolException INVALID_ARGUMENT if no kind is registered, or a leader lease is set
     *     without a task store
     */
    public io.poolforge.compute.api.Pool build() {
      if (kinds.isEmpty()) {
        throw PoolException.invalidArgument("kinds", "register at least one task kind");
      }
      if (leaderLease != null && taskStore == null) {
        throw PoolException.invalidArgument(
            "leaderLease", "needs a taskStore that the coordinators share");
      }
      Duration lease = leaseDuration == null ? Duration.ofSeconds(15) : leaseDuration;
      Duration grace = Duration.ofSeconds(5).compareTo(lease) < 0 ? Duration.ofSeconds(5) : lease;
      if (reconnectGrace != null) {
        if (reconnectGrace.compareTo(lease) > 0) {
          throw PoolException.invalidArgument(
              "reconnectGrace",
              "is " + reconnectGrace + ", must be at most the leaseDuration of " + lease);
        }
        grace = reconnectGrace;
      }
      EngineConfig config =
          new EngineConfig(
              clock == null ? Clock.systemUTC() : clock,
              executor == null ? ForkJoinPool.commonPool() : executor,
              kinds,
              policy == null ? AllocationPolicies.defaultPolicy() : policy,
              verifier == null ? new AcceptFirstVerifier() : verifier,
              defaultVerification == null ? VerificationSpec.cheapCheckOnly() : defaultVerification,
              ledger,
              taskStore,
              transports,
              maxQueuedTasks == null ? 2_000_000 : maxQueuedTasks,
              maxPayloadBytes == null ? 1 << 20 : maxPayloadBytes,
              lease,
              agingStep == null ? Duration.ofSeconds(2) : agingStep,
              weights,
              targetBatch == null ? Duration.ofMillis(20) : targetBatch,
              maxBatch == null ? 4096 : maxBatch,
              initialBatch == null ? 8 : initialBatch,
              splitAboveCost == null ? 0 : splitAboveCost,
              maxChunks == null ? 64 : maxChunks,
              trustedBackend,
              reputation,
              attestationVerifiers,
              meterRegistry,
              tickInterval == null ? Duration.ofMillis(50) : tickInterval,
              eventBuffer == null ? 65_536 : eventBuffer,
              finishedRetention == null ? 100_000 : finishedRetention,
              seed == null ? 42 : seed,
              grace,
              storeRetention);
      return new PoolEngine(config, leaderLease);
    }
  }
}
