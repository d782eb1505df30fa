package io.poolforge.compute.api.store;

/**
 * Opens {@link Stores} for a URL such as {@code jdbc:sqlite:data/pool.db}, {@code
 * jdbc:postgresql://host/db} or {@code memory:}; found through {@link java.util.ServiceLoader}.
 * Explicit wiring in the pool builder wins over discovery.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface StoreProvider {
  /**
   * The provider's id, such as "sqlite".
   *
   * @return the id
   */
  String id();

  /**
   * Whether its driver is on the class path. Never throws.
   *
   * @return true if usable
   */
  boolean isAvailable();

  /**
   * Preference among providers accepting the same URL; higher wins.
   *
   * @return the priority
   */
  int priority();

  /**
   * Whether it can open this URL.
   *
   * @param url a store URL
   * @return true if it can
   */
  boolean accepts(String url);

  /**
   * Opens the stores, creating or migrating the schema.
   *
   * @param url a URL it {@link #accepts}
   * @return the stores, which the caller closes
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE if the database cannot be reached;
   *     INVALID_ARGUMENT for a malformed URL
   */
  Stores open(String url);
}
