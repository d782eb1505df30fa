/**
 * Benchmarks of the scheduler: placement throughput and balance, end-to-end in-process throughput
 * and latency, and the memory of a deep queue.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.benchmarks.scheduler;

import org.jspecify.annotations.NullMarked;
