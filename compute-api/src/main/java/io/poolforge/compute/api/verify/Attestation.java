package io.poolforge.compute.api.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;

/**
 * Evidence a worker presents about the environment it runs in, such as a TEE quote.
 *
 * <p>Immutable and thread-safe.
 *
 * @param format the evidence format, such as "ed25519-measurement" or "tdx-quote"
 * @param evidence the raw evidence, at most {@value #MAX_EVIDENCE_BYTES} bytes
 * @since 0.1.0
 */
public record Attestation(String format, Bytes evidence) {
  /** The largest accepted evidence. */
  public static final int MAX_EVIDENCE_BYTES = 64 * 1024;

  /** Validates the fields. */
  public Attestation {
    Checks.name("attestation.format", format);
    Checks.notNull("attestation.evidence", evidence);
    if (evidence.size() > MAX_EVIDENCE_BYTES) {
      throw PoolException.invalidArgument(
          "attestation.evidence",
          "is " + evidence.size() + " bytes, the limit is " + MAX_EVIDENCE_BYTES);
    }
  }
}
