/**
 * The {@code poolforge demo} command: an embedded coordinator and in-process workers running a
 * mixed workload of the built-in kinds, with progress, a rendered frame and a summary.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.examples.demo;

import org.jspecify.annotations.NullMarked;
