/**
 * Benchmarks of the core's internal data structures against the JDK collections they replace.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.benchmarks.internal;

import org.jspecify.annotations.NullMarked;
