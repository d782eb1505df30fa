/**
 * Benchmarks of the durable stores: acknowledged submissions per second with and without group
 * commit, on SQLite and PostgreSQL.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.benchmarks.store;

import org.jspecify.annotations.NullMarked;
