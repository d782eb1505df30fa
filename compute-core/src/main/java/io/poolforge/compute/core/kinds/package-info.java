/**
 * The built-in task kinds: SHA-256 batches, proof-of-work nonce search, modular exponentiation
 * (with the RSA public-exponent check) and tiles of a path-traced scene. Each kind holds the
 * reference implementation that the CPU backend parallelizes and that the verifier uses for cheap
 * checks and trusted recomputes. {@link io.poolforge.compute.core.kinds.BuiltinKinds} lists them.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.kinds;

import org.jspecify.annotations.NullMarked;
