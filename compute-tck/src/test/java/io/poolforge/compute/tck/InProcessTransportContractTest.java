package io.poolforge.compute.tck;

import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.core.transport.InProcessTransport;
import org.junit.jupiter.api.AfterEach;

/** Runs the transport contract over compute-core's in-process transport. */
class InProcessTransportContractTest extends TransportContractTest {
  private InProcessTransport transport;

  @Override
  protected CoordinatorTransport newCoordinator() {
    transport = InProcessTransport.create();
    return transport.coordinator();
  }

  @Override
  protected WorkerTransport newWorker(CoordinatorTransport started) {
    return transport.worker();
  }

  @AfterEach
  void closeTransport() {
    transport.close();
  }
}
