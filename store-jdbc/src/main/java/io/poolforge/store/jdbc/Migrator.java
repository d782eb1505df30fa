package io.poolforge.store.jdbc;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned schema migrations kept in this module ({@code
 * db/<dialect>/V<n>__<name>.sql}, listed in order in {@code index.txt}) that a database lacks,
 * recording each in {@code schema_version}. All pending migrations run in one transaction; on
 * PostgreSQL an advisory lock makes coordinators that start together apply them once.
 */
final class Migrator {
  private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  private static final long LOCK_KEY = 0x506f6f6c466f7267L; // "PoolForg"

  record Migration(int version, String description, String sql) {}

  private Migrator() {}

  static List<Migration> migrations(Dialect dialect) {
    String dir = "db/" + dialect.folder + "/";
    List<Migration> list = new ArrayList<>();
    for (String line : resource(dir + "index.txt").split("\n")) {
      String file = line.strip();
      if (file.isEmpty()) {
        continue;
      }
      Matcher m = NAME.matcher(file);
      if (!m.matches()) {
        throw new PoolException(ErrorCode.INTERNAL, "store: bad migration file name " + file);
      }
      int version = Integer.parseInt(m.group(1));
      if (version != list.size() + 1) {
        throw new PoolException(
            ErrorCode.INTERNAL, "store: migration " + file + " is out of sequence");
      }
      list.add(new Migration(version, m.group(2), resource(dir + file)));
    }
    return list;
  }

  /**
   * Brings the schema up to date.
   *
   * @return the schema version now
   */
  static int migrate(Database db) {
    List<Migration> all = migrations(db.dialect);
    return db.transaction(
        "schema migration",
        c -> {
          try (Statement st = c.createStatement()) {
            if (db.dialect == Dialect.POSTGRESQL) {
              st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            st.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
          }
          int current = current(c);
          if (current > all.size()) {
            throw new PoolException(
                ErrorCode.FAILED_PRECONDITION,
                "store: the database schema is version "
                    + current
                    + ", newer than this build knows ("
                    + all.size()
                    + "); upgrade PoolForge");
          }
          for (Migration m : all.subList(current, all.size())) {
            try (Statement st = c.createStatement()) {
              for (String sql : statements(m.sql())) {
                st.execute(sql);
              }
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
              ps.setInt(1, m.version());
              ps.setString(2, m.description());
              ps.setLong(3, System.currentTimeMillis());
              ps.executeUpdate();
            }
          }
          return all.size();
        });
  }

  private static int current(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Splits a script at semicolons that end a line; comment lines are dropped. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) {
        continue;
      }
      sb.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = sb.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        sb.setLength(0);
      }
    }
    if (!sb.toString().isBlank()) {
      out.add(sb.toString().strip());
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = Migrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new PoolException(ErrorCode.INTERNAL, "store: missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PoolException(ErrorCode.INTERNAL, "store: cannot read " + path, e);
    }
  }
}
