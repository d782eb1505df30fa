package io.poolforge.compute.api.verify;

import io.poolforge.compute.api.Bytes;
import java.time.Instant;

/**
 * Checks a worker's {@link Attestation}. The pool caches verified attestations until their expiry,
 * so a verifier is called once per worker and key, not per task.
 *
 * <p>Implementations are thread-safe and may block (for example to fetch collateral).
 *
 * @since 0.1.0
 */
public interface AttestationVerifier {
  /**
   * The evidence format this verifier understands.
   *
   * @return the format, matching {@link Attestation#format()}
   */
  String format();

  /**
   * Verifies evidence bound to the worker's public key.
   *
   * @param attestation the evidence
   * @param workerPublicKey the key the evidence must bind
   * @return the verdict
   */
  Result verify(Attestation attestation, Bytes workerPublicKey);

  /**
   * A verdict.
   *
   * @param valid whether the evidence checks
   * @param measurement what was attested (a build hash), or empty
   * @param expiresAt until when the verdict may be cached
   * @param reason why it failed, or "ok"
   * @since 0.1.0
   */
  record Result(boolean valid, Bytes measurement, Instant expiresAt, String reason) {}
}
