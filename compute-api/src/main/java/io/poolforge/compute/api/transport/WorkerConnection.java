package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.Bytes;
import java.util.List;

/**
 * The worker's end of a connection to the coordinator.
 *
 * <p>Thread-safe and non-blocking; sends are queued by the transport with bounded buffers.
 *
 * @since 0.1.0
 */
public interface WorkerConnection extends AutoCloseable {
  /**
   * Grants room for more tasks.
   *
   * @param credits how many, &gt; 0
   */
  void grant(int credits);

  /**
   * Sends results.
   *
   * @param results the batch
   */
  void sendResults(List<WorkResult> results);

  /**
   * Sends load figures.
   *
   * @param heartbeat the figures
   */
  void heartbeat(Heartbeat heartbeat);

  /**
   * Sends a checkpoint.
   *
   * @param lease the task and attempt
   * @param state the kind-specific state
   */
  void checkpoint(LeaseRef lease, Bytes state);

  /** Closes the connection cleanly. Idempotent. */
  @Override
  void close();
}
