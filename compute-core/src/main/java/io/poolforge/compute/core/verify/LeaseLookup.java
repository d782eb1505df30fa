package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's view of live leases, which {@link ResultAuthenticator} consults: a result is
 * accepted only for a task leased to its worker at its attempt.
 *
 * <p>Implementations are called on the thread that authenticates (usually the scheduler thread),
 * must answer from memory and must not block.
 *
 * @since 0.1.0
 */
public interface LeaseLookup {
  /**
   * Whether the task exists and is still open (not completed, failed or cancelled).
   *
   * @param task the task
   * @return true if results for it may still be accepted
   */
  boolean isOpen(TaskId task);

  /**
   * The worker that holds a lease now.
   *
   * @param lease the task and attempt
   * @return the holder, or null if that attempt is not leased (never assigned, expired, or
   *     superseded)
   */
  @Nullable WorkerId holder(LeaseRef lease);
}
