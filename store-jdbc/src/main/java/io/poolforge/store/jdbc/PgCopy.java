package io.poolforge.store.jdbc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Writes rows in PostgreSQL's binary COPY format ({@code PGCOPY}) and sends them with one {@code
 * COPY ... FROM STDIN}: the fastest bulk insert PostgreSQL has, inside the caller's transaction.
 * Field writers must be called in column order; not thread-safe.
 */
final class PgCopy {
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private byte[] buf;
  private int size;

  PgCopy(int capacity) {
    buf = new byte[Math.max(HEADER.length + 16, capacity)];
    System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
    size = HEADER.length;
  }

  private void room(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  private void i16(int v) {
    room(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  private void i32(int v) {
    room(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  PgCopy row(int fields) {
    i16(fields);
    return this;
  }

  PgCopy int8(long v) {
    i32(8);
    i32((int) (v >>> 32));
    i32((int) v);
    return this;
  }

  PgCopy int4(int v) {
    i32(4);
    i32(v);
    return this;
  }

  PgCopy int2(int v) {
    i32(2);
    i16(v);
    return this;
  }

  PgCopy text(@Nullable String v) {
    return bytea(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
  }

  PgCopy bytea(byte @Nullable [] v) {
    if (v == null) {
      i32(-1);
      return this;
    }
    i32(v.length);
    room(v.length);
    System.arraycopy(v, 0, buf, size, v.length);
    size += v.length;
    return this;
  }

  /** Ends the data and copies it into {@code table (columns)}; returns the rows copied. */
  long copyInto(Connection c, String table, String columns) throws SQLException {
    i16(-1);
    try {
      return c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)",
              new ByteArrayInputStream(buf, 0, size));
    } catch (IOException e) {
      throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
    }
  }
}
