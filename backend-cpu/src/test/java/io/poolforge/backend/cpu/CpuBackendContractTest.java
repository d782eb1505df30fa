package io.poolforge.backend.cpu;

import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.tck.BackendContractTest;

/** The CPU backend passes the backend contract. */
class CpuBackendContractTest extends BackendContractTest {
  @Override
  protected ComputeBackendProvider provider() {
    return new CpuBackendProvider();
  }
}
