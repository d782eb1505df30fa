package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.util.Set;

/**
 * What a task needs from the worker that runs it. Tasks with equal requirements share one
 * scheduling lane, so matching looks only at the workers that can serve that lane.
 *
 * <p>Immutable and thread-safe.
 *
 * @param backends acceptable backend ids (such as "cpu", "cuda", "opencl"); empty means any
 * @param minDeviceMemoryBytes the least free device memory the worker must report, &gt;= 0
 * @param tags tags the worker must all carry (such as a region or an owner class)
 * @param attestation whether the worker must hold a verified attestation
 * @since 0.1.0
 */
public record Requirements(
    Set<String> backends, long minDeviceMemoryBytes, Set<String> tags, boolean attestation) {
  /** At most this many backends or tags. */
  public static final int MAX_ENTRIES = 16;

  /** No requirements: any worker that knows the kind may run the task. */
  public static final Requirements ANY = new Requirements(Set.of(), 0, Set.of(), false);

  /** Validates and copies the sets. */
  public Requirements {
    backends = Set.copyOf(Checks.size("requirements.backends", backends, MAX_ENTRIES));
    backends.forEach(b -> Checks.name("requirements.backends", b));
    Checks.nonNegative("requirements.minDeviceMemoryBytes", minDeviceMemoryBytes);
    tags = Set.copyOf(Checks.size("requirements.tags", tags, MAX_ENTRIES));
    tags.forEach(t -> Checks.name("requirements.tags", t));
  }

  /**
   * Whether a worker with these capabilities can run a task with these requirements.
   *
   * @param caps the worker's capabilities
   * @return true if every requirement is met
   */
  public boolean satisfiedBy(Capabilities caps) {
    if (!backends.isEmpty() && caps.backends().stream().noneMatch(backends::contains)) {
      return false;
    }
    return caps.deviceMemoryBytes() >= minDeviceMemoryBytes
        && caps.tags().containsAll(tags)
        && (!attestation || caps.attested());
  }
}
