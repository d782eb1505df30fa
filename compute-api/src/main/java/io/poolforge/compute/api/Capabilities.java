package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.util.List;
import java.util.Set;

/**
 * What a worker can do, as it declares when it registers: which task kinds on which backends, on
 * which devices, and how many batches it runs at once.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kinds the task kind ids it can execute
 * @param backends the backend ids it has
 * @param devices its devices
 * @param deviceMemoryBytes the largest free device memory of any device, &gt;= 0
 * @param slots how many batches it runs concurrently, 1-4096
 * @param tags free-form tags that tasks may require
 * @param attested whether the worker presented an attestation that verified
 * @since 0.1.0
 */
public record Capabilities(
    Set<String> kinds,
    Set<String> backends,
    List<DeviceInfo> devices,
    long deviceMemoryBytes,
    int slots,
    Set<String> tags,
    boolean attested) {
  /** At most this many kinds, backends, tags or devices. */
  public static final int MAX_ENTRIES = 256;

  /** Validates and copies the collections. */
  public Capabilities {
    kinds = Set.copyOf(Checks.size("capabilities.kinds", kinds, MAX_ENTRIES));
    kinds.forEach(k -> Checks.name("capabilities.kinds", k));
    if (kinds.isEmpty()) {
      throw PoolException.invalidArgument("capabilities.kinds", "must name at least one kind");
    }
    backends = Set.copyOf(Checks.size("capabilities.backends", backends, MAX_ENTRIES));
    backends.forEach(b -> Checks.name("capabilities.backends", b));
    devices = List.copyOf(Checks.size("capabilities.devices", devices, MAX_ENTRIES));
    Checks.nonNegative("capabilities.deviceMemoryBytes", deviceMemoryBytes);
    Checks.range("capabilities.slots", slots, 1, 4096);
    tags = Set.copyOf(Checks.size("capabilities.tags", tags, MAX_ENTRIES));
    tags.forEach(t -> Checks.name("capabilities.tags", t));
  }

  /**
   * Returns a copy with the attested flag set as given.
   *
   * @param value whether the worker is attested
   * @return the copy
   */
  public Capabilities withAttested(boolean value) {
    return new Capabilities(kinds, backends, devices, deviceMemoryBytes, slots, tags, value);
  }
}
