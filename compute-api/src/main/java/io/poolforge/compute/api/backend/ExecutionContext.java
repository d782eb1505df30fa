package io.poolforge.compute.api.backend;

import io.poolforge.compute.api.Bytes;
import java.util.Optional;

/**
 * What an executor may know and do while it runs one task of a batch.
 *
 * <p>Implementations are thread-safe; {@link #saveCheckpoint} may block briefly while the
 * checkpoint is handed to the transport.
 *
 * @since 0.1.0
 */
public interface ExecutionContext {
  /**
   * The checkpoint this attempt resumes from, if the task was interrupted before.
   *
   * @return the checkpoint or empty
   */
  Optional<Bytes> checkpoint();

  /**
   * Saves a checkpoint so that a later attempt can resume from it. Only meaningful for kinds with a
   * {@link io.poolforge.compute.api.TaskKind#resumer()}.
   *
   * @param state the kind-specific state
   */
  void saveCheckpoint(Bytes state);

  /**
   * Whether the task was cancelled or its lease lost; long-running executors should poll this and
   * stop early.
   *
   * @return true if the result is no longer wanted
   */
  boolean cancelled();

  /** A context with no checkpoint that is never cancelled, for direct use of a backend. */
  ExecutionContext NONE =
      new ExecutionContext() {
        @Override
        public Optional<Bytes> checkpoint() {
          return Optional.empty();
        }

        @Override
        public void saveCheckpoint(Bytes state) {}

        @Override
        public boolean cancelled() {
          return false;
        }
      };
}
