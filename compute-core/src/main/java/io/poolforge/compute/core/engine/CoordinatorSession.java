package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerSession;
import io.poolforge.compute.core.verify.SignedBatchVerifier;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's handler of one worker's messages. Signatures are checked here, on the
 * transport's thread, so the scheduler thread never does cryptography; everything else is posted to
 * the scheduler. Results come signed in batches (one Ed25519 signature over a Merkle root); the
 * session's {@link SignedBatchVerifier} checks each distinct signed root once and each result's own
 * path to it. The verifier keeps state, so it serves one call at a time: an urgent result batch
 * that the transport delivers while a bulk batch is being checked (as {@link WorkerSession} allows)
 * uses a spare verifier, or a fresh one if that is busy too, instead of waiting for it. A result
 * whose signature fails (or that claims another worker) is a forgery, not a late answer: the
 * scheduler ends that worker's session (see {@link Scheduler#forged}).
 */
final class CoordinatorSession implements WorkerSession {
  /** The largest result batch that is looked into for an urgent task's result. */
  private static final int URGENT_LOOKUP_MAX = 4;

  /** Signed roots the spare verifier remembers. */
  private static final int SPARE_CACHED_BATCHES = 4;

  private final Scheduler scheduler;
  private final WorkerSlot slot;
  private final SignedBatchVerifier verifier;
  private final AtomicBoolean verifierBusy = new AtomicBoolean();
  private final SignedBatchVerifier spare;
  private final AtomicBoolean spareBusy = new AtomicBoolean();
  private final PublicKey key;
  private final int maxCheckpointBytes;

  CoordinatorSession(Scheduler scheduler, WorkerSlot slot, PublicKey key, int maxCheckpointBytes) {
    this.scheduler = scheduler;
    this.slot = slot;
    this.maxCheckpointBytes = maxCheckpointBytes;
    this.key = key;
    this.verifier = SignedBatchVerifier.of(key, SignedBatchVerifier.DEFAULT_CACHED_BATCHES);
    // urgent batches are a result or a few, each signed alone: a small cache is enough
    this.spare = SignedBatchVerifier.of(key, SPARE_CACHED_BATCHES);
  }

  @Override
  public void onCredit(int credits) {
    if (credits > 0) {
      scheduler.post(() -> scheduler.credit(slot, credits));
    }
  }

  @Override
  public void onResults(List<WorkResult> results) {
    boolean[] signed = verify(results);
    List<WorkResult> valid = new ArrayList<>(results.size());
    List<Scheduler.Forgery> forged = null;
    for (int i = 0; i < results.size(); i++) {
      WorkResult r = results.get(i);
      if (!r.worker().equals(slot.id())) {
        forged = add(forged, r, "its signature claims worker " + r.worker());
      } else if (!signed[i]) {
        forged = add(forged, r, "bad result signature");
      } else {
        valid.add(r);
      }
    }
    // the authentic results of the batch count; then a forger's session ends
    if (forged != null) {
      List<Scheduler.Forgery> bad = forged;
      scheduler.post(
          () -> {
            if (!valid.isEmpty()) {
              scheduler.results(slot, valid);
            }
            scheduler.forged(slot, bad);
          });
    } else if (!valid.isEmpty()) {
      if (urgent(valid)) {
        scheduler.postUrgent(() -> scheduler.results(slot, valid));
      } else {
        scheduler.post(() -> scheduler.results(slot, valid));
      }
    }
  }

  /** Checks the batch's signatures with whichever verifier is free; never waits for one. */
  private boolean[] verify(List<WorkResult> results) {
    AtomicBoolean held =
        verifierBusy.compareAndSet(false, true)
            ? verifierBusy
            : spareBusy.compareAndSet(false, true) ? spareBusy : null;
    try {
      SignedBatchVerifier v =
          held == verifierBusy
              ? verifier
              : held == spareBusy ? spare : SignedBatchVerifier.of(key, SPARE_CACHED_BATCHES);
      return v.verifyAll(results);
    } catch (RuntimeException e) {
      return new boolean[results.size()];
    } finally {
      if (held != null) {
        held.set(false);
      }
    }
  }

  /**
   * Whether a small batch answers an urgent task. Workers send an urgent task's result alone or
   * nearly so; a bulk batch is not looked into, so the check costs nothing per bulk result.
   */
  private boolean urgent(List<WorkResult> results) {
    if (results.size() > URGENT_LOOKUP_MAX) {
      return false;
    }
    for (WorkResult r : results) {
      if (scheduler.isUrgentTask(r.lease().task().value())) {
        return true;
      }
    }
    return false;
  }

  private static List<Scheduler.Forgery> add(
      @Nullable List<Scheduler.Forgery> list, WorkResult r, String reason) {
    List<Scheduler.Forgery> l = list == null ? new ArrayList<>(1) : list;
    l.add(new Scheduler.Forgery(r.lease().task(), reason));
    return l;
  }

  @Override
  public void onHeartbeat(Heartbeat heartbeat) {
    scheduler.postQuietly(() -> scheduler.heartbeat(slot, heartbeat, 0));
  }

  @Override
  public void onCheckpoint(LeaseRef lease, Bytes state) {
    if (state.size() > Math.min(maxCheckpointBytes, TaskSpec.MAX_PAYLOAD_BYTES)) {
      scheduler.post(
          () ->
              scheduler.badResult(
                  slot.id(),
                  lease.task(),
                  "checkpoint of " + state.size() + " bytes exceeds " + maxCheckpointBytes));
      return;
    }
    scheduler.post(() -> scheduler.checkpoint(slot, lease, state));
  }

  @Override
  public void onClosed(@Nullable PoolException reason) {
    scheduler.post(() -> scheduler.closed(slot, reason));
  }
}
