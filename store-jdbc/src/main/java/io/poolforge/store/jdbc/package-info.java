/**
 * Durable stores on JDBC: SQLite (embedded default, {@code jdbc:sqlite:<file>}) and PostgreSQL
 * (scale and high availability, {@code jdbc:postgresql://host/db}). Open them with {@link
 * io.poolforge.store.jdbc.JdbcStores#builder()} or through the {@link
 * io.poolforge.compute.api.store.StoreProvider}s registered for {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.store.jdbc;

import org.jspecify.annotations.NullMarked;
