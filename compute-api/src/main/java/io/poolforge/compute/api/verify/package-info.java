/**
 * Verification: how results of untrusted workers are checked, worker reputation, and attestation.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.verify;

import org.jspecify.annotations.NullMarked;
