package io.poolforge.compute.core.worker;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkerConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The execution context of a batch: checkpoints go to the coordinator under the lease of the
 * batch's single task (checkpointing kinds run one task per batch); cancellation covers the whole
 * batch. Thread-safe.
 */
final class TaskContext implements ExecutionContext {
  private final List<Assignment> batch;
  private final WorkerConnection connection;
  private final Predicate<Assignment> revoked;
  private final @Nullable Bytes checkpoint;

  TaskContext(List<Assignment> batch, WorkerConnection connection, Predicate<Assignment> revoked) {
    this.batch = batch;
    this.connection = connection;
    this.revoked = revoked;
    this.checkpoint = batch.size() == 1 ? batch.get(0).checkpoint() : null;
  }

  @Override
  public Optional<Bytes> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public void saveCheckpoint(Bytes state) {
    if (batch.size() == 1 && state != null) {
      connection.checkpoint(batch.get(0).lease(), state);
    }
  }

  @Override
  public boolean cancelled() {
    for (Assignment a : batch) {
      if (!revoked.test(a)) {
        return false;
      }
    }
    return true;
  }
}
