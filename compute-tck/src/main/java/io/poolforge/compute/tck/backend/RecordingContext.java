package io.poolforge.compute.tck.backend;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionContext} for tests: an optional checkpoint to resume from, the checkpoints the
 * backend saved, and a cancel switch.
 *
 * <p>Thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class RecordingContext implements ExecutionContext {
  private final @Nullable Bytes resumeFrom;
  private final List<Bytes> saved = new CopyOnWriteArrayList<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /**
   * A context.
   *
   * @param resumeFrom the checkpoint to offer, or null
   */
  public RecordingContext(@Nullable Bytes resumeFrom) {
    this.resumeFrom = resumeFrom;
  }

  @Override
  public Optional<Bytes> checkpoint() {
    return Optional.ofNullable(resumeFrom);
  }

  @Override
  public void saveCheckpoint(Bytes state) {
    saved.add(state);
  }

  @Override
  public boolean cancelled() {
    return cancelled.get();
  }

  /** Cancels the batch. */
  public void cancel() {
    cancelled.set(true);
  }

  /**
   * The checkpoints saved so far, oldest first.
   *
   * @return a snapshot
   */
  public List<Bytes> saved() {
    return List.copyOf(saved);
  }
}
