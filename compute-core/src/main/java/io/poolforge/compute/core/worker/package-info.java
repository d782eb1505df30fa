/**
 * The worker runtime: {@link io.poolforge.compute.core.worker.WorkerNode} connects to a
 * coordinator, runs the batches it is assigned on its compute backends, and signs and returns the
 * results.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.worker;

import org.jspecify.annotations.NullMarked;
