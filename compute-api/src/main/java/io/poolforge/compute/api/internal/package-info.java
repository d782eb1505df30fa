/** Helpers shared inside compute-api; not exported, not API. */
@NullMarked
package io.poolforge.compute.api.internal;

import org.jspecify.annotations.NullMarked;
