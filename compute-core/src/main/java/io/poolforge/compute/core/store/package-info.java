/**
 * In-memory stores: fast, thread-safe, not durable. For tests, demos and pools that accept losing
 * their state on restart; the durable stores live in the store-jdbc module.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.store;

import org.jspecify.annotations.NullMarked;
