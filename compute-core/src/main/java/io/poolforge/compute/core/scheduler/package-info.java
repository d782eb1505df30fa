/**
 * Allocation policies: how the scheduler places queued tasks onto workers with free credit. Every
 * policy keeps an index of the workers that have credit, so a pick never scans every worker.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.scheduler;

import org.jspecify.annotations.NullMarked;
