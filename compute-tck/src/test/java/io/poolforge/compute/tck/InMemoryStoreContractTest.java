package io.poolforge.compute.tck;

import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.core.store.InMemoryStores;

/** The store contract against compute-core's in-memory stores. */
class InMemoryStoreContractTest extends StoreContractTest {
  @Override
  protected Stores openFreshStores() {
    return InMemoryStores.create(64 * 1024);
  }
}
