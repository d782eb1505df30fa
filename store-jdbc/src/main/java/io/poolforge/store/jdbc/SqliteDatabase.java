package io.poolforge.store.jdbc;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>Checkpoints (copying the WAL back into the database file, with an fsync of that file) run on a
 * background thread with a connection of its own, in PASSIVE mode, which never blocks a writer: a
 * commit then costs one WAL append and one fsync, instead of also paying for a checkpoint whenever
 * the WAL passes SQLite's automatic threshold. An in-memory database keeps SQLite's automatic
 * checkpoints.
 */
final class SqliteDatabase extends Database {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
  private static final long CHECKPOINT_EVERY_MILLIS = 200;
  // the WAL file is truncated back to this size after a checkpoint let SQLite restart it
  private static final long WAL_SIZE_LIMIT = 64L << 20;

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final @Nullable Connection checkpointConnection;
  private final @Nullable Thread checkpointer;
  private volatile boolean running = true;
  private volatile boolean dirty;

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
      if (!url.contains(":memory:") && !url.contains("mode=memory")) {
        try (Statement st = connection.createStatement()) {
          st.execute("PRAGMA wal_autocheckpoint = 0");
          st.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
        }
        checkpointConnection = config.createConnection(url);
        checkpointer =
            Thread.ofPlatform()
                .name("poolforge-sqlite-checkpoint")
                .daemon()
                .start(this::checkpointLoop);
      } else {
        checkpointConnection = null;
        checkpointer = null;
      }
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
        dirty = true;
        return result;
      } catch (SQLException e) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE, "store: " + what + " failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkpointLoop() {
    while (running) {
      try {
        Thread.sleep(CHECKPOINT_EVERY_MILLIS);
      } catch (InterruptedException e) {
        break;
      }
      if (dirty) {
        dirty = false;
        checkpoint("PASSIVE");
      }
    }
  }

  private void checkpoint(String mode) {
    Connection c = checkpointConnection;
    if (c == null) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(" + mode + ")");
    } catch (SQLException e) {
      LOG.warn("SQLite checkpoint failed; the next one retries: {}", e.getMessage());
    }
  }

  @Override
  void closeConnections() {
    running = false;
    if (checkpointer != null) {
      checkpointer.interrupt();
      try {
        checkpointer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      if (checkpointConnection != null) {
        checkpoint("PASSIVE");
        checkpointConnection.close();
      }
      connection.close();
    } catch (SQLException e) {
      // closing is best effort; committed data is already durable
    } finally {
      lock.unlock();
    }
  }
}
