package io.poolforge.backend.cuda;

import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.tck.BackendContractTest;

/** The CUDA backend passes the backend contract on a GPU host; the suite skips elsewhere. */
class CudaBackendContractTest extends BackendContractTest {
  @Override
  protected ComputeBackendProvider provider() {
    return new CudaBackendProvider();
  }

  @Override
  protected boolean runLongVectors() {
    return true;
  }
}
