package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.SettlementState;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in a pool, delivered to subscribers of {@link Pool#events()} instead of
 * polling. The set is closed, so a {@code switch} over it is exhaustive.
 *
 * <p>All events are immutable records and thread-safe.
 *
 * @since 0.1.0
 */
public sealed interface PoolEvent {
  /**
   * When it happened, by the pool's clock.
   *
   * @return the instant
   */
  Instant at();

  /**
   * A task completed with a verified result.
   *
   * @param at when
   * @param result the result
   */
  record TaskCompleted(Instant at, TaskResult result) implements PoolEvent {
    /** Validates the fields. */
    public TaskCompleted {
      Checks.notNull("at", at);
      Checks.notNull("result", result);
    }
  }

  /**
   * A task failed for good or was cancelled.
   *
   * @param at when
   * @param task the task
   * @param failure why
   */
  record TaskFailed(Instant at, TaskId task, TaskStatus.Failure failure) implements PoolEvent {
    /** Validates the fields. */
    public TaskFailed {
      Checks.notNull("at", at);
      Checks.notNull("task", task);
      Checks.notNull("failure", failure);
    }
  }

  /**
   * A worker's result passed verification.
   *
   * @param at when
   * @param task the task
   * @param worker the worker
   * @param method how it was verified, such as "quorum", "spot-check", "cheap-check" or "none"
   */
  record TaskVerified(Instant at, TaskId task, WorkerId worker, String method)
      implements PoolEvent {
    /** Validates the fields. */
    public TaskVerified {
      Checks.notNull("at", at);
      Checks.notNull("task", task);
      Checks.notNull("worker", worker);
      Checks.notNull("method", method);
    }
  }

  /**
   * A worker's result failed verification.
   *
   * @param at when
   * @param task the task
   * @param worker the worker
   * @param reason what failed
   */
  record VerificationFailed(Instant at, TaskId task, WorkerId worker, String reason)
      implements PoolEvent {
    /** Validates the fields. */
    public VerificationFailed {
      Checks.notNull("at", at);
      Checks.notNull("task", task);
      Checks.notNull("worker", worker);
      Checks.notNull("reason", reason);
    }
  }

  /**
   * A worker registered.
   *
   * @param at when
   * @param worker its description
   */
  record WorkerJoined(Instant at, WorkerInfo worker) implements PoolEvent {
    /** Validates the fields. */
    public WorkerJoined {
      Checks.notNull("at", at);
      Checks.notNull("worker", worker);
    }
  }

  /**
   * A worker left, was lost, or was disconnected.
   *
   * @param at when
   * @param worker the worker
   * @param reason why
   */
  record WorkerLeft(Instant at, WorkerId worker, String reason) implements PoolEvent {
    /** Validates the fields. */
    public WorkerLeft {
      Checks.notNull("at", at);
      Checks.notNull("worker", worker);
      Checks.notNull("reason", reason);
    }
  }

  /**
   * A worker was caught cheating or fell below the blacklist threshold, and gets no more work.
   *
   * @param at when
   * @param worker the worker
   * @param reason why
   */
  record WorkerQuarantined(Instant at, WorkerId worker, String reason) implements PoolEvent {
    /** Validates the fields. */
    public WorkerQuarantined {
      Checks.notNull("at", at);
      Checks.notNull("worker", worker);
      Checks.notNull("reason", reason);
    }
  }

  /**
   * The reward ledger closed an epoch.
   *
   * @param at when
   * @param epoch the epoch number
   * @param merkleRoot the statement's Merkle root
   * @param payees how many payout addresses it lists
   */
  record EpochClosed(Instant at, long epoch, Bytes merkleRoot, int payees) implements PoolEvent {
    /** Validates the fields. */
    public EpochClosed {
      Checks.notNull("at", at);
      Checks.nonNegative("epoch", epoch);
      Checks.notNull("merkleRoot", merkleRoot);
    }
  }

  /**
   * A settlement batch changed state.
   *
   * @param at when
   * @param chain the chain id
   * @param idempotencyKey the batch's key
   * @param state its new state
   * @param detail a transaction hash or a reason, if any
   */
  record SettlementChanged(
      Instant at,
      String chain,
      Bytes idempotencyKey,
      SettlementState state,
      @Nullable String detail)
      implements PoolEvent {
    /** Validates the fields. */
    public SettlementChanged {
      Checks.notNull("at", at);
      Checks.notNull("chain", chain);
      Checks.notNull("idempotencyKey", idempotencyKey);
      Checks.notNull("state", state);
    }
  }
}
