package io.poolforge.compute.core.store;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;

/**
 * Opens {@link InMemoryStores} for the URL {@code memory:}; every open returns new, empty stores.
 * Lowest priority, so a durable provider accepting the same URL would win.
 *
 * <p>Thread-safe. Found through {@link java.util.ServiceLoader}; public only for it.
 *
 * @since 0.1.0
 */
public final class InMemoryStoreProvider implements StoreProvider {
  /** The URL it accepts. */
  public static final String URL = "memory:";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public InMemoryStoreProvider() {}

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public boolean accepts(String url) {
    return URL.equals(url);
  }

  @Override
  public Stores open(String url) {
    if (!accepts(url)) {
      throw PoolException.invalidArgument("url", "'" + url + "' is not " + URL);
    }
    return InMemoryStores.create();
  }
}
