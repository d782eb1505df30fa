package io.poolforge.backend.opencl;

import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.tck.BackendContractTest;

/**
 * The backend contract on the OpenCL backend: on PoCL's CPU device in CI, on a GPU where there is
 * one; skipped without an OpenCL platform. The one-million-'a' vector is kept: one work item hashes
 * 15,625 blocks, a second or two on PoCL.
 */
class OpenClBackendContractTest extends BackendContractTest {
  @Override
  protected ComputeBackendProvider provider() {
    return new OpenClBackendProvider();
  }
}
