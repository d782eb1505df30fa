package io.poolforge.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL server per test JVM, started on first use; each caller gets a new schema. */
final class EmbeddedPg {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedPg() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        // The tests kill coordinators (clients), never this server, so its own fsyncs buy nothing
        // here; turning them off keeps the suite fast on a shared disk. Benchmarks keep them on.
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // the JVM is exiting
                    }
                  }));
    }
    return server;
  }

  /**
   * Creates an empty schema (cheaper than a database) and returns a JDBC URL, with user and
   * password, whose connections work in it.
   */
  static String newDatabase() {
    String name = "pf" + COUNTER.incrementAndGet() + "_" + ProcessHandle.current().pid();
    EmbeddedPostgres pg = server();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return pg.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + name;
  }
}
