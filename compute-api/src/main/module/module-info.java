/**
 * PoolForge's public API: types and service-provider interfaces only, with no runtime dependencies.
 *
 * @since 0.1.0
 */
module io.poolforge.compute.api {
  requires static transitive org.jspecify;

  exports io.poolforge.compute.api;
  exports io.poolforge.compute.api.backend;
  exports io.poolforge.compute.api.schedule;
  exports io.poolforge.compute.api.verify;
  exports io.poolforge.compute.api.ledger;
  exports io.poolforge.compute.api.transport;
  exports io.poolforge.compute.api.store;

  uses io.poolforge.compute.api.backend.ComputeBackendProvider;
  uses io.poolforge.compute.api.ledger.SettlementChainProvider;
  uses io.poolforge.compute.api.store.StoreProvider;
  uses io.poolforge.compute.api.transport.TransportProvider;
}
