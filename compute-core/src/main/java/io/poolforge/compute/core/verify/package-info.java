/**
 * Verification of untrusted results: the {@link io.poolforge.compute.core.verify.Verifier} seam,
 * the credibility-based verifier and its worker reputation, result signatures and replay checks,
 * and attestation of worker builds.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.verify;

import org.jspecify.annotations.NullMarked;
