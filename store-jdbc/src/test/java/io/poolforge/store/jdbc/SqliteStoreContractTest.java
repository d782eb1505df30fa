package io.poolforge.store.jdbc;

import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.tck.StoreContractTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against SQLite files. */
class SqliteStoreContractTest extends StoreContractTest {
  @TempDir static Path dir;
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private String url = "";

  @Override
  protected Stores openFreshStores() {
    url = "jdbc:sqlite:" + dir.resolve("pool-" + COUNTER.incrementAndGet() + ".db");
    return reopenStores();
  }

  @Override
  protected Stores reopenStores() {
    return JdbcStores.builder().url(url).maxBlobBytes(64 * 1024).build();
  }
}
