/**
 * Durable stores on JDBC: SQLite (embedded default) and PostgreSQL (scale, high availability).
 *
 * @since 0.1.0
 */
package io.poolforge.store.jdbc;
