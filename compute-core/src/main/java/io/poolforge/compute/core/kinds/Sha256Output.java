package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.util.List;

/**
 * The output of the {@code sha256} kind: one 32-byte digest per message, in order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param digests 1 to {@value Sha256Input#MAX_MESSAGES} digests of 32 bytes
 * @since 0.1.0
 */
public record Sha256Output(List<Bytes> digests) {
  /** The size of a digest. */
  public static final int DIGEST_BYTES = 32;

  /** Validates the sizes and copies the list. */
  public Sha256Output {
    if (digests == null) {
      throw PoolException.invalidArgument("sha256.digests", "must not be null");
    }
    if (digests.isEmpty() || digests.size() > Sha256Input.MAX_MESSAGES) {
      throw PoolException.invalidArgument(
          "sha256.digests",
          "has " + digests.size() + " digests, must have 1 to " + Sha256Input.MAX_MESSAGES);
    }
    digests = List.copyOf(digests);
    for (int i = 0; i < digests.size(); i++) {
      if (digests.get(i).size() != DIGEST_BYTES) {
        throw PoolException.invalidArgument(
            "sha256.digests[" + i + "]",
            "is " + digests.get(i).size() + " bytes, must be " + DIGEST_BYTES);
      }
    }
  }
}
