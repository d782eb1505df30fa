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
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's handler of one worker's messages. Signatures are checked here, on the
 * transport's thread, so the scheduler thread never does cryptography; everything else is posted to
 * the scheduler. Results come signed in batches (one Ed25519 signature over a Merkle root); the
 * session's {@link SignedBatchVerifier} checks each distinct signed root once and each result's own
 * path to it. The transport calls one method at a time per worker, so the verifier is not shared.
 */
final class CoordinatorSession implements WorkerSession {
  private final Scheduler scheduler;
  private final WorkerSlot slot;
  private final SignedBatchVerifier verifier;
  private final int maxCheckpointBytes;

  CoordinatorSession(Scheduler scheduler, WorkerSlot slot, PublicKey key, int maxCheckpointBytes) {
    this.scheduler = scheduler;
    this.slot = slot;
    this.maxCheckpointBytes = maxCheckpointBytes;
    this.verifier = SignedBatchVerifier.of(key, SignedBatchVerifier.DEFAULT_CACHED_BATCHES);
  }

  @Override
  public void onCredit(int credits) {
    if (credits > 0) {
      scheduler.post(() -> scheduler.credit(slot, credits));
    }
  }

  @Override
  public void onResults(List<WorkResult> results) {
    boolean[] signed;
    try {
      signed = verifier.verifyAll(results);
    } catch (RuntimeException e) {
      signed = new boolean[results.size()];
    }
    List<WorkResult> valid = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      WorkResult r = results.get(i);
      if (!r.worker().equals(slot.id())) {
        scheduler.post(
            () ->
                scheduler.badResult(
                    slot.id(),
                    r.lease().task(),
                    "result claims worker " + r.worker() + " on the connection of " + slot.id()));
      } else if (!signed[i]) {
        scheduler.post(
            () -> scheduler.badResult(slot.id(), r.lease().task(), "bad result signature"));
      } else {
        valid.add(r);
      }
    }
    if (!valid.isEmpty()) {
      scheduler.post(() -> scheduler.results(slot, valid));
    }
  }

  @Override
  public void onHeartbeat(Heartbeat heartbeat) {
    scheduler.post(() -> scheduler.heartbeat(slot, heartbeat, 0));
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
