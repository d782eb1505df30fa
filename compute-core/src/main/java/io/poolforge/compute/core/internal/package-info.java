/**
 * Data structures shared by the core's packages (engine, store). Internal: not part of the public
 * API, may change at any time.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.internal;

import org.jspecify.annotations.NullMarked;
