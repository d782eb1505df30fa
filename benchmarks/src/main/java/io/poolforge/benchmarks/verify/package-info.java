/**
 * Simulations of result verification against saboteurs: PoolForge's credibility-based verifier side
 * by side with BOINC-style 2-of-2 voting and fixed-rate spot-checking.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.benchmarks.verify;

import org.jspecify.annotations.NullMarked;
