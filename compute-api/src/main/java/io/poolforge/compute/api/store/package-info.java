/**
 * The store SPIs: durable tasks, ledger and content-addressed blobs.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.store;

import org.jspecify.annotations.NullMarked;
