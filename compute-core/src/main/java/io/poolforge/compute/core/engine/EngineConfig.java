package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.ledger.RewardLedger;
import io.poolforge.compute.api.schedule.AllocationPolicy;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.verify.AttestationVerifier;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The engine's settings, as {@link io.poolforge.compute.core.Coordinator.Builder} resolved them.
 * Internal; subject to change.
 *
 * <p>Immutable and thread-safe.
 *
 * @param clock time source for leases, deadlines, aging and timestamps
 * @param executor runs off-loop work: callbacks, ledger credits, trusted recomputes, event delivery
 * @param kinds registered kinds by id
 * @param policy the allocation policy
 * @param verifier the verification seam
 * @param defaultVerification used when a task names none
 * @param ledger credited on accepted results, or null
 * @param taskStore where tasks are made durable, or null
 * @param transports the transports workers connect through
 * @param maxQueuedTasks the most unfinished tasks held at once
 * @param maxPayloadBytes the largest payload accepted
 * @param leaseDuration how long a worker may stay silent before its leases lapse
 * @param agingStep how long a task waits per priority level it is raised
 * @param submitterWeights fair-share weights; 1 for submitters not named
 * @param targetBatch how long one batch should take on a worker
 * @param maxBatch the largest batch
 * @param initialBatch the batch size before a worker's speed is measured
 * @param splitAboveCost tasks of a splittable kind whose cost exceeds this are split (0: never)
 * @param maxChunks the most chunks per split
 * @param trustedBackend runs recomputes when verification asks for the truth, or null
 * @param reputation credibility and quarantine, or null
 * @param attestationVerifiers by evidence format
 * @param meterRegistry a Micrometer MeterRegistry, or null
 * @param tickInterval how often timers (leases, deadlines, metrics) are checked
 * @param eventBuffer events buffered per subscriber before it is dropped
 * @param finishedRetention finished tasks kept in memory for status queries
 * @param seed seed for randomized allocators
 * @param reconnectGrace how long a worker whose connection broke keeps its leases for a reconnect,
 *     and how long a restarted coordinator holds the tasks that were running for their workers to
 *     come back; at most {@code leaseDuration}
 * @param storeRetention how long finished tasks stay in the task store before the engine deletes
 *     them, or null to keep them until the application deletes them
 * @since 0.1.0
 */
public record EngineConfig(
    Clock clock,
    Executor executor,
    Map<String, TaskKind<?, ?>> kinds,
    AllocationPolicy policy,
    Verifier verifier,
    VerificationSpec defaultVerification,
    @Nullable RewardLedger ledger,
    @Nullable TaskStore taskStore,
    List<CoordinatorTransport> transports,
    int maxQueuedTasks,
    int maxPayloadBytes,
    Duration leaseDuration,
    Duration agingStep,
    Map<String, Integer> submitterWeights,
    Duration targetBatch,
    int maxBatch,
    int initialBatch,
    long splitAboveCost,
    int maxChunks,
    @Nullable ComputeBackend trustedBackend,
    @Nullable Reputation reputation,
    Map<String, AttestationVerifier> attestationVerifiers,
    @Nullable Object meterRegistry,
    Duration tickInterval,
    int eventBuffer,
    int finishedRetention,
    long seed,
    Duration reconnectGrace,
    @Nullable Duration storeRetention) {
  /** Copies the collections and checks that the reconnect grace fits in the lease duration. */
  public EngineConfig {
    if (reconnectGrace.isNegative()
        || reconnectGrace.isZero()
        || reconnectGrace.compareTo(leaseDuration) > 0) {
      throw io.poolforge.compute.api.PoolException.invalidArgument(
          "reconnectGrace",
          "is " + reconnectGrace + ", must be positive and at most leaseDuration " + leaseDuration);
    }
    kinds = Map.copyOf(kinds);
    transports = List.copyOf(transports);
    submitterWeights = Map.copyOf(submitterWeights);
    attestationVerifiers = Map.copyOf(attestationVerifiers);
  }
}
