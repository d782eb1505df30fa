package io.poolforge.compute.api.ledger;

import java.util.Map;

/**
 * Creates {@link SettlementChain}s from configuration; found through {@link
 * java.util.ServiceLoader}. Explicit wiring in the pool builder wins over discovery.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface SettlementChainProvider {
  /**
   * The provider's id, such as "evm".
   *
   * @return the id
   */
  String id();

  /**
   * Whether the provider's libraries are usable here. Never throws.
   *
   * @return true if {@link #create} can succeed
   */
  boolean isAvailable();

  /**
   * Preference among providers with the same id; higher wins.
   *
   * @return the priority
   */
  int priority();

  /**
   * Creates a chain client.
   *
   * @param config provider-specific settings (such as "rpcUrl" and "keyFile")
   * @return the chain, which the caller closes
   * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT naming a missing or bad setting
   */
  SettlementChain create(Map<String, String> config);
}
