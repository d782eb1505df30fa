package io.poolforge.compute.api;

/**
 * Where a task is in its life.
 *
 * @since 0.1.0
 */
public enum TaskState {
  /** Accepted and waiting for a worker. */
  QUEUED,
  /** Assigned to one or more workers under a lease. */
  RUNNING,
  /** A result came back and awaits verification (replicas, spot-check). */
  VERIFYING,
  /** Done, with a verified result. */
  COMPLETED,
  /** Gave up: attempts exhausted, deadline passed, or verification failed for good. */
  FAILED,
  /** Cancelled by the submitter. */
  CANCELLED;

  /**
   * Whether the task will never change state again.
   *
   * @return true for COMPLETED, FAILED and CANCELLED
   */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
