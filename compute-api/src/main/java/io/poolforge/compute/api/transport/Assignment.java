package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A task leased to a worker. A worker runs the assignments it holds highest priority first, FIFO
 * within a level.
 *
 * <p>Immutable and thread-safe.
 *
 * @param lease the task and attempt
 * @param kind the kind id
 * @param payload the encoded input
 * @param leaseExpiresAt when the lease lapses unless a heartbeat renews it
 * @param checkpoint the checkpoint to resume from, or null
 * @param priority the task's priority, {@link Priority#MIN} to {@link Priority#MAX}
 * @since 0.1.0
 */
public record Assignment(
    LeaseRef lease,
    String kind,
    Bytes payload,
    Instant leaseExpiresAt,
    @Nullable Bytes checkpoint,
    int priority) {
  /** Validates the fields. */
  public Assignment {
    Checks.notNull("lease", lease);
    Checks.name("kind", kind);
    Checks.notNull("payload", payload);
    Checks.notNull("leaseExpiresAt", leaseExpiresAt);
    Checks.range("priority", priority, Priority.MIN, Priority.MAX);
  }

  /**
   * An assignment of a task of {@link Priority#NORMAL} priority.
   *
   * @param lease the task and attempt
   * @param kind the kind id
   * @param payload the encoded input
   * @param leaseExpiresAt when the lease lapses unless a heartbeat renews it
   * @param checkpoint the checkpoint to resume from, or null
   */
  public Assignment(
      LeaseRef lease,
      String kind,
      Bytes payload,
      Instant leaseExpiresAt,
      @Nullable Bytes checkpoint) {
    this(lease, kind, payload, leaseExpiresAt, checkpoint, Priority.NORMAL);
  }
}
