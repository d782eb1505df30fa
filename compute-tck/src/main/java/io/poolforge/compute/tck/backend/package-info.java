/**
 * Helpers of the backend contract suite: known-answer vectors and an execution context that records
 * checkpoints.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.tck.backend;

import org.jspecify.annotations.NullMarked;
