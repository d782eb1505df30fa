package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.verify.Attestation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a worker sends when it connects: who it is, what it can do, its attestation, and the leases
 * it still holds from before a reconnect (which the coordinator resumes where valid).
 *
 * <p>Immutable and thread-safe.
 *
 * @param worker the worker's description and public key
 * @param attestation its attestation, or null
 * @param heldLeases the assignments it is still working on, at most 65,536
 * @since 0.1.0
 */
public record Registration(
    WorkerInfo worker, @Nullable Attestation attestation, List<LeaseRef> heldLeases) {
  /** Validates and copies the fields. */
  public Registration {
    Checks.notNull("worker", worker);
    heldLeases = List.copyOf(Checks.size("heldLeases", heldLeases, 65_536));
  }
}
