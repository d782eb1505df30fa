/**
 * Result verification measured against saboteurs: PoolForge's credibility-based verifier side by
 * side with BOINC-style 2-of-2 voting and fixed-rate spot-checking. {@link
 * io.poolforge.benchmarks.verify.PoolVerificationRun} runs the real pool in lockstep on a fake
 * clock (the figures in docs/verification.md); {@link
 * io.poolforge.benchmarks.verify.VerificationSimulation} runs a simulated scheduler at larger
 * scale.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.benchmarks.verify;

import org.jspecify.annotations.NullMarked;
