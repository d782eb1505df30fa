package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;

/**
 * Opens {@link JdbcStores} on SQLite for URLs {@code jdbc:sqlite:<file>}: the embedded default.
 *
 * <p>Thread-safe. Found through {@link java.util.ServiceLoader}; public only for it.
 *
 * @since 0.1.0
 */
public final class SqliteStoreProvider implements StoreProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public SqliteStoreProvider() {}

  @Override
  public String id() {
    return "sqlite";
  }

  @Override
  public boolean isAvailable() {
    return ProviderSupport.present("org.sqlite.JDBC");
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public boolean accepts(String url) {
    return url != null && url.startsWith("jdbc:sqlite:");
  }

  @Override
  public Stores open(String url) {
    if (!accepts(url)) {
      throw PoolException.invalidArgument("url", "'" + url + "' is not jdbc:sqlite:<file>");
    }
    return JdbcStores.builder().url(url).build();
  }
}
