package io.poolforge.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL through a HikariCP pool. Batched inserts are rewritten into multi-row INSERTs by the
 * driver ({@code reWriteBatchedInserts}), so a group commit of thousands of records is a few round
 * trips and one WAL flush.
 */
final class PostgresDatabase extends Database {
  private final HikariDataSource pool;

  PostgresDatabase(String url, int maxConnections) {
    super(Dialect.POSTGRESQL);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setAutoCommit(false);
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setPoolName("poolforge-store");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "store: cannot connect to PostgreSQL at " + redact(url) + ": " + rootMessage(e),
          e);
    }
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  @Override
  <T> T inTransaction(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(what, work);
      } catch (PoolException e) {
        // A deadlock or serialization failure aborts one transaction; running it again is safe.
        if (attempt < 4 && e.getCause() instanceof SQLException s && isTransient(s)) {
          continue;
        }
        throw e;
      }
    }
  }

  private static boolean isTransient(SQLException e) {
    return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
  }

  private <T> T once(String what, SqlWork<T> work) {
    Connection c;
    try {
      c = pool.getConnection();
    } catch (SQLException e) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "store: " + what + ": no database connection: " + e.getMessage(),
          e);
    }
    try (c) {
      return runAndCommit(c, what, work);
    } catch (SQLException e) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "store: " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  void closeConnections() {
    pool.close();
  }
}
