package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.util.List;

/**
 * The coordinator's handler for one connected worker: what the transport delivers from it.
 *
 * <p>Implementations are thread-safe and non-blocking; the transport calls them from its threads
 * (an in-process transport may call them on the sending worker's thread), one call at a time per
 * worker, in the order the worker sent, with one exception: a result batch answering an urgent task
 * (priority {@code HIGH} or more) may be delivered ahead of messages the worker sent before it, and
 * may be delivered while one of them is still being handled, so {@link #onResults} must allow a
 * second call while one is in progress. {@link #onClosed} comes last, after every other call has
 * returned.
 *
 * @since 0.1.0
 */
public interface WorkerSession {
  /**
   * The worker grants room for {@code credits} more tasks.
   *
   * @param credits how many, &gt; 0
   */
  void onCredit(int credits);

  /**
   * The worker sends results.
   *
   * @param results the batch
   */
  void onResults(List<WorkResult> results);

  /**
   * The worker reports its load; renews its leases.
   *
   * @param heartbeat the figures
   */
  void onHeartbeat(Heartbeat heartbeat);

  /**
   * The worker saved a checkpoint for a lease.
   *
   * @param lease the task and attempt
   * @param state the kind-specific state
   */
  void onCheckpoint(LeaseRef lease, Bytes state);

  /**
   * The connection ended.
   *
   * @param reason why, or null for a clean close by the worker
   */
  void onClosed(@org.jspecify.annotations.Nullable PoolException reason);
}
