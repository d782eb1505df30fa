/**
 * The coordinator's engine: the single-writer scheduler loop, the lane queues, leases, batching,
 * the group committer and the event hub. Internal: applications use {@link
 * io.poolforge.compute.core.Coordinator}; only {@link
 * io.poolforge.compute.core.engine.AcceptFirstVerifier} is meant to be named directly.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.engine;

import org.jspecify.annotations.NullMarked;
