package io.poolforge.store.jdbc;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs transactions on SQLite or PostgreSQL. A {@link PoolException} thrown by the work rolls the
 * transaction back and propagates unchanged; an {@link SQLException} rolls back and becomes
 * UNAVAILABLE naming the operation.
 */
abstract class Database implements AutoCloseable {
  final Dialect dialect;
  private volatile boolean closed;

  Database(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Runs {@code work} in a transaction that commits when it returns; durable when this returns. */
  final <T> T transaction(String what, SqlWork<T> work) {
    checkOpen();
    return inTransaction(what, work);
  }

  abstract <T> T inTransaction(String what, SqlWork<T> work);

  final void checkOpen() {
    if (closed) {
      throw new PoolException(ErrorCode.FAILED_PRECONDITION, "store is closed");
    }
  }

  /** Whether an exception is a primary-key or unique-constraint violation. */
  final boolean isUniqueViolation(SQLException e) {
    return switch (dialect) {
      case POSTGRESQL -> "23505".equals(e.getSQLState());
      case SQLITE -> e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE");
    };
  }

  static <T> T runAndCommit(Connection c, String what, SqlWork<T> work) {
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollback(c, e);
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "store: " + what + " failed: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollback(c, e);
      throw e;
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException r) {
      cause.addSuppressed(r);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeConnections();
  }

  abstract void closeConnections();
}
