/**
 * Ed25519 (RFC 8032) for result signatures, written for speed and checked against the JDK: {@link
 * io.poolforge.compute.core.verify.internal.Ed25519Signer} and {@link
 * io.poolforge.compute.core.verify.internal.Ed25519Verifier} produce and accept exactly what {@code
 * Signature.getInstance("Ed25519")} does. Internal: not part of the public API, may change at any
 * time.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.verify.internal;

import org.jspecify.annotations.NullMarked;
