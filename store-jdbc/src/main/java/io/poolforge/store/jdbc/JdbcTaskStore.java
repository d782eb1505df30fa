package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.store.TaskStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@link TaskStore} on SQLite or PostgreSQL. A batch is one transaction: batched prepared
 * statements, or on PostgreSQL for inserts of {@value #COPY_THRESHOLD} rows or more one binary
 * COPY. Reading back after a restart streams in id order, a chunk per transaction.
 *
 * <p>Thread-safe; every method blocks on the database.
 */
final class JdbcTaskStore implements TaskStore {
  private static final String COLUMNS =
      "id, state, priority, submitter, kind, attempts, submitted_at, updated_at, worker, spec,"
          + " result, failure_code, failure_message, checkpoint";
  private static final int COLUMN_COUNT = 14;
  private static final String INSERT = multiRowInsert(1);
  private static final String UPDATE =
      "UPDATE tasks SET state = ?, priority = ?, submitter = ?, kind = ?, attempts = ?,"
          + " submitted_at = ?, updated_at = ?, worker = ?, spec = ?, result = ?, failure_code = ?,"
          + " failure_message = ?, checkpoint = ? WHERE id = ?";
  // SQLite inserts go down as multi-row VALUES statements of this many rows: each execution of an
  // INSERT opens cursors on the table and every index, so one statement per row costs several
  // times the row itself (measured ~3x fewer rows per second on this machine).
  private static final int ROWS_PER_STATEMENT = 64;
  private static final String INSERT_MULTI = multiRowInsert(ROWS_PER_STATEMENT);
  private static final int CHUNK = 2_000;
  private static final long NO_FENCE = -1;
  // From this many rows on, PostgreSQL inserts go through binary COPY.
  private static final int COPY_THRESHOLD = 64;

  private final Database db;

  private static String multiRowInsert(int rows) {
    String one = "(" + "?, ".repeat(COLUMN_COUNT - 1) + "?)";
    StringBuilder sql = new StringBuilder("INSERT INTO tasks (" + COLUMNS + ") VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(one);
    }
    return sql.toString();
  }

  JdbcTaskStore(Database db) {
    this.db = db;
  }

  @Override
  public long reserveIds(int count) {
    if (count < 1 || count > 1_000_000) {
      throw PoolException.invalidArgument("count", "is " + count + ", must be in [1, 1000000]");
    }
    return db.transaction(
        "reserveIds",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE id_counters SET next_id = next_id + ? WHERE name = 'task'"
                      + " RETURNING next_id")) {
            ps.setLong(1, count);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new PoolException(
                    ErrorCode.INTERNAL, "store: the task id counter is missing");
              }
              return rs.getLong(1) - count;
            }
          }
        });
  }

  @Override
  public void insert(List<TaskRecord> tasks) {
    insertFenced(tasks, NO_FENCE);
  }

  @Override
  public void insert(List<TaskRecord> tasks, long fencingToken) {
    insertFenced(tasks, checkToken(fencingToken));
  }

  private static long checkToken(long fencingToken) {
    if (fencingToken < 1) {
      throw PoolException.invalidArgument(
          "fencingToken",
          "is " + fencingToken + ", must be >= 1 (the token of a held leader lease)");
    }
    return fencingToken;
  }

  /**
   * Inside a write transaction: refuses it unless {@code token} is the leader lease's current
   * token. On PostgreSQL the lease row is read FOR SHARE, so a takeover (which updates the row)
   * either commits before this read, and is seen, or waits until this transaction ends; on SQLite
   * the transaction already holds the database's write lock.
   */
  private void checkFence(Connection c, long token) throws SQLException {
    if (token == NO_FENCE) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT fencing FROM leader_lease WHERE name = ?"
                + (db.dialect == Dialect.POSTGRESQL ? " FOR SHARE" : ""))) {
      ps.setString(1, JdbcLeaderLease.NAME);
      try (ResultSet rs = ps.executeQuery()) {
        long current = rs.next() ? rs.getLong(1) : 0;
        if (current != token) {
          throw new PoolException(
              ErrorCode.FAILED_PRECONDITION,
              "fencingToken: is "
                  + token
                  + " but the leader lease is at "
                  + current
                  + " (another coordinator took over); nothing of the batch was stored");
        }
      }
    }
  }

  private void insertFenced(List<TaskRecord> tasks, long fence) {
    List<TaskRecord> batch = Checks.list("tasks", tasks);
    Set<Long> ids = new HashSet<>(batch.size() * 2);
    for (TaskRecord t : batch) {
      if (!ids.add(t.id().value())) {
        throw PoolException.invalidArgument(
            "tasks", "task " + t.id() + " appears twice in the batch; no task of it was stored");
      }
    }
    if (batch.isEmpty()) {
      db.checkOpen();
      return;
    }
    List<Row> rows = new ArrayList<>(batch.size());
    for (TaskRecord t : batch) {
      rows.add(Row.of(t));
    }
    try {
      db.transaction(
          "insert tasks",
          c -> {
            checkFence(c, fence);
            try {
              if (db.dialect == Dialect.POSTGRESQL && rows.size() >= COPY_THRESHOLD) {
                PgCopy copy = new PgCopy(rows.size() * 256);
                for (Row r : rows) {
                  r.copy(copy);
                }
                copy.copyInto(c, "tasks", COLUMNS);
              } else {
                int whole = db.dialect == Dialect.SQLITE ? rows.size() / ROWS_PER_STATEMENT : 0;
                if (whole > 0) {
                  try (PreparedStatement ps = c.prepareStatement(INSERT_MULTI)) {
                    for (int s = 0; s < whole; s++) {
                      for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
                        rows.get(s * ROWS_PER_STATEMENT + i).bindInsert(ps, i * COLUMN_COUNT);
                      }
                      ps.addBatch();
                    }
                    ps.executeBatch();
                  }
                }
                int done = whole * ROWS_PER_STATEMENT;
                if (done < rows.size()) {
                  try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (Row r : rows.subList(done, rows.size())) {
                      r.bindInsert(ps, 0);
                      ps.addBatch();
                    }
                    ps.executeBatch();
                  }
                }
              }
            } catch (SQLException e) {
              if (db.isUniqueViolation(e) || isBatchUniqueViolation(e)) {
                throw new DuplicateIdException(e);
              }
              throw e;
            }
            return null;
          });
    } catch (DuplicateIdException e) {
      TaskId existing = firstExisting(batch);
      throw PoolException.invalidArgument(
          "tasks",
          "task "
              + (existing == null ? "id" : existing.toString())
              + " already exists; no task of the batch was stored");
    }
  }

  private boolean isBatchUniqueViolation(SQLException e) {
    for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
      if (db.isUniqueViolation(n)) {
        return true;
      }
    }
    return false;
  }

  private @Nullable TaskId firstExisting(List<TaskRecord> batch) {
    return db.transaction(
        "find existing tasks",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tasks WHERE id = ?")) {
            for (TaskRecord t : batch) {
              ps.setLong(1, t.id().value());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  return t.id();
                }
              }
            }
          }
          return null;
        });
  }

  /** Carries a unique violation out of the transaction, which has been rolled back. */
  private static final class DuplicateIdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DuplicateIdException(SQLException cause) {
      super(cause);
    }
  }

  @Override
  public void update(List<TaskRecord> tasks) {
    updateFenced(tasks, NO_FENCE);
  }

  @Override
  public void update(List<TaskRecord> tasks, long fencingToken) {
    updateFenced(tasks, checkToken(fencingToken));
  }

  private void updateFenced(List<TaskRecord> tasks, long fence) {
    List<TaskRecord> batch = Checks.list("tasks", tasks);
    if (batch.isEmpty()) {
      db.checkOpen();
      return;
    }
    List<Row> rows = new ArrayList<>(batch.size());
    for (TaskRecord t : batch) {
      rows.add(Row.of(t));
    }
    db.transaction(
        "update tasks",
        c -> {
          checkFence(c, fence);
          try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Row r : rows) {
              r.bindUpdate(ps);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
              if (counts[i] == 0) {
                throw new PoolException(
                    ErrorCode.NOT_FOUND,
                    "tasks: task "
                        + batch.get(i).id()
                        + " does not exist; no task of the batch was stored");
              }
            }
          }
          return null;
        });
  }

  @Override
  public Optional<TaskRecord> get(TaskId id) {
    Checks.notNull("id", id);
    return db.transaction(
        "get task",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE id = ?")) {
            ps.setLong(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Page<TaskRecord> list(TaskState state, @Nullable String cursor, int limit) {
    Checks.notNull("state", state);
    Page.checkLimit(limit);
    long after = Checks.cursor(cursor);
    List<TaskRecord> items =
        db.transaction(
            "list tasks",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM tasks WHERE state = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setInt(1, Codec.stateCode(state));
                ps.setLong(2, after);
                ps.setInt(3, limit + 1);
                List<TaskRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(read(rs));
                  }
                }
                return out;
              }
            });
    if (items.size() > limit) {
      List<TaskRecord> page = items.subList(0, limit);
      return new Page<>(page, Long.toString(page.get(limit - 1).id().value()));
    }
    return new Page<>(items, null);
  }

  @Override
  public void forEachUnfinished(Consumer<TaskRecord> sink) {
    Checks.notNull("sink", sink);
    long after = 0;
    while (true) {
      long from = after;
      List<TaskRecord> chunk =
          db.transaction(
              "reload unfinished tasks",
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "SELECT "
                            + COLUMNS
                            + " FROM tasks WHERE state IN (0, 1, 2) AND id > ? ORDER BY id LIMIT ?")) {
                  ps.setLong(1, from);
                  ps.setInt(2, CHUNK);
                  List<TaskRecord> out = new ArrayList<>(CHUNK);
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.add(read(rs));
                    }
                  }
                  return out;
                }
              });
      chunk.forEach(sink);
      if (chunk.size() < CHUNK) {
        return;
      }
      after = chunk.get(chunk.size() - 1).id().value();
    }
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    Checks.notNull("cutoff", cutoff);
    long before = Codec.nanos("cutoff", cutoff);
    return db.transaction(
        "delete finished tasks",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM tasks WHERE state IN (3, 4, 5) AND updated_at < ?")) {
            ps.setLong(1, before);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void close() {
    // the owning JdbcStores closes the database
  }

  private static TaskRecord read(ResultSet rs) throws SQLException {
    String worker = rs.getString(9);
    byte[] result = rs.getBytes(11);
    String failureCode = rs.getString(12);
    byte[] checkpoint = rs.getBytes(14);
    TaskStatus.Failure failure = null;
    if (failureCode != null) {
      ErrorCode code;
      try {
        code = ErrorCode.valueOf(failureCode);
      } catch (IllegalArgumentException e) {
        throw Codec.corrupt("failure code " + failureCode);
      }
      failure = new TaskStatus.Failure(code, rs.getString(13));
    }
    return new TaskRecord(
        new TaskId(rs.getLong(1)),
        Codec.spec(rs.getBytes(10)),
        Codec.state(rs.getInt(2)),
        rs.getInt(6),
        Codec.instant(rs.getLong(7)),
        Codec.instant(rs.getLong(8)),
        worker == null ? null : new WorkerId(worker),
        result == null ? null : Bytes.wrap(result),
        failure,
        checkpoint == null ? null : Bytes.wrap(checkpoint));
  }

  /** A record converted to column values before the transaction starts. */
  private record Row(
      long id,
      int state,
      int priority,
      String submitter,
      String kind,
      int attempts,
      long submittedAt,
      long updatedAt,
      @Nullable String worker,
      byte[] spec,
      byte @Nullable [] result,
      @Nullable String failureCode,
      @Nullable String failureMessage,
      byte @Nullable [] checkpoint) {
    static Row of(TaskRecord t) {
      TaskStatus.Failure f = t.failure();
      return new Row(
          t.id().value(),
          Codec.stateCode(t.state()),
          t.spec().priority(),
          t.spec().submitter(),
          t.spec().kind(),
          t.attempts(),
          Codec.nanos("submittedAt", t.submittedAt()),
          Codec.nanos("updatedAt", t.updatedAt()),
          t.worker() == null ? null : t.worker().value(),
          Codec.spec(t.spec()),
          t.result() == null ? null : t.result().toByteArray(),
          f == null ? null : f.code().name(),
          f == null ? null : f.message(),
          t.checkpoint() == null ? null : t.checkpoint().toByteArray());
    }

    void copy(PgCopy c) {
      c.row(14)
          .int8(id)
          .int2(state)
          .int2(priority)
          .text(submitter)
          .text(kind)
          .int4(attempts)
          .int8(submittedAt)
          .int8(updatedAt)
          .text(worker)
          .bytea(spec)
          .bytea(result)
          .text(failureCode)
          .text(failureMessage)
          .bytea(checkpoint);
    }

    void bindInsert(PreparedStatement ps, int offset) throws SQLException {
      ps.setLong(offset + 1, id);
      bindRest(ps, offset + 2);
    }

    void bindUpdate(PreparedStatement ps) throws SQLException {
      bindRest(ps, 1);
      ps.setLong(14, id);
    }

    private void bindRest(PreparedStatement ps, int i) throws SQLException {
      ps.setInt(i, state);
      ps.setInt(i + 1, priority);
      ps.setString(i + 2, submitter);
      ps.setString(i + 3, kind);
      ps.setInt(i + 4, attempts);
      ps.setLong(i + 5, submittedAt);
      ps.setLong(i + 6, updatedAt);
      setString(ps, i + 7, worker);
      ps.setBytes(i + 8, spec);
      setBytes(ps, i + 9, result);
      setString(ps, i + 10, failureCode);
      setString(ps, i + 11, failureMessage);
      setBytes(ps, i + 12, checkpoint);
    }

    private static void setString(PreparedStatement ps, int i, @Nullable String v)
        throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.VARCHAR);
      } else {
        ps.setString(i, v);
      }
    }

    private static void setBytes(PreparedStatement ps, int i, byte @Nullable [] v)
        throws SQLException {
      if (v == null) {
        ps.setNull(i, Types.BINARY);
      } else {
        ps.setBytes(i, v);
      }
    }
  }
}
