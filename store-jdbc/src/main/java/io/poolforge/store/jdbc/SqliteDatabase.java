package io.poolforge.store.jdbc;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection shared under a lock: SQLite admits one writer at a time anyway, and a
 * single connection keeps every transaction of this process in order.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so each commit fsyncs the WAL before it
 * returns and an acknowledged write survives both a killed process and a power loss. ({@code
 * NORMAL} in WAL mode would survive kill -9 but could lose the last commits on power loss; with
 * group commit one fsync serves a whole batch, so FULL costs little.) Write transactions begin
 * IMMEDIATE, which serialises writers of other processes on the same file, and wait up to the busy
 * timeout for them.
 */
final class SqliteDatabase extends Database {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  SqliteDatabase(String url) {
    super(Dialect.SQLITE);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(30_000);
    config.setCacheSize(-65_536); // 64 MiB of page cache
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    try {
      connection = config.createConnection(url);
      // Autocommit on, with explicit BEGIN IMMEDIATE per transaction: the driver's own
      // transaction handling would begin the next transaction right after each commit and so hold
      // the write lock between calls, shutting out every other process on the file.
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "store: cannot open SQLite database " + url + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  <T> T inTransaction(String what, SqlWork<T> work) {
    lock.lock();
    try {
      checkOpen();
      try (Statement st = connection.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        T result;
        try {
          result = work.run(connection);
        } catch (SQLException | RuntimeException | Error e) {
          try {
            st.execute("ROLLBACK");
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
          throw e;
        }
        st.execute("COMMIT");
        return result;
      } catch (SQLException e) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE, "store: " + what + " failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void closeConnections() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      // closing is best effort; committed data is already durable
    } finally {
      lock.unlock();
    }
  }
}
