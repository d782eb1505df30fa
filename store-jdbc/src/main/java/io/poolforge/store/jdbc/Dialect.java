package io.poolforge.store.jdbc;

/** The SQL differences between the supported databases. */
enum Dialect {
  SQLITE("sqlite", "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)", ""),
  POSTGRESQL(
      "postgresql", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)", " FOR UPDATE");

  /** The folder of its migrations under {@code db/}. */
  final String folder;

  /** An SQL expression for the database server's current time in epoch milliseconds. */
  final String nowMillis;

  /** The row-locking suffix of a SELECT that precedes an UPDATE of the same row. */
  final String forUpdate;

  Dialect(String folder, String nowMillis, String forUpdate) {
    this.folder = folder;
    this.nowMillis = nowMillis;
    this.forUpdate = forUpdate;
  }
}
