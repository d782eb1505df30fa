package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.util.regex.Pattern;

/**
 * A registered worker as the coordinator knows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the worker's id
 * @param owner who operates the worker; replicas of one task go to distinct owners
 * @param payoutAddress where its rewards are paid (a chain address, such as 0x-prefixed EVM)
 * @param publicKey its Ed25519 public key in X.509 encoding, which signs its results
 * @param capabilities what it can run
 * @since 0.1.0
 */
public record WorkerInfo(
    WorkerId id, String owner, String payoutAddress, Bytes publicKey, Capabilities capabilities) {
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9:_-]{1,128}");

  /** The largest accepted public key encoding, in bytes. */
  public static final int MAX_PUBLIC_KEY_BYTES = 1024;

  /** Validates the fields. */
  public WorkerInfo {
    Checks.notNull("worker.id", id);
    Checks.matches("worker.owner", owner, OWNER, "must be 1-128 characters of [A-Za-z0-9._:@-]");
    Checks.matches(
        "worker.payoutAddress",
        payoutAddress,
        ADDRESS,
        "must be 1-128 characters of [A-Za-z0-9:_-]");
    Checks.notNull("worker.publicKey", publicKey);
    if (publicKey.isEmpty() || publicKey.size() > MAX_PUBLIC_KEY_BYTES) {
      throw PoolException.invalidArgument(
          "worker.publicKey",
          "is " + publicKey.size() + " bytes, must be 1-" + MAX_PUBLIC_KEY_BYTES);
    }
    Checks.notNull("worker.capabilities", capabilities);
  }
}
