package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;

/**
 * Opens {@link JdbcStores} on PostgreSQL for URLs {@code jdbc:postgresql://host[:port]/db[?...]}.
 *
 * <p>Thread-safe. Found through {@link java.util.ServiceLoader}; public only for it.
 *
 * @since 0.1.0
 */
public final class PostgresStoreProvider implements StoreProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public PostgresStoreProvider() {}

  @Override
  public String id() {
    return "postgresql";
  }

  @Override
  public boolean isAvailable() {
    return ProviderSupport.present("org.postgresql.Driver")
        && ProviderSupport.present("com.zaxxer.hikari.HikariDataSource");
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public boolean accepts(String url) {
    return url != null && url.startsWith("jdbc:postgresql:");
  }

  @Override
  public Stores open(String url) {
    if (!accepts(url)) {
      throw PoolException.invalidArgument(
          "url", "'" + url + "' is not jdbc:postgresql://host[:port]/db");
    }
    return JdbcStores.builder().url(url).build();
  }
}
