package io.poolforge.transport.grpc;

import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.tck.TransportContractTest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Runs the transport contract over real gRPC on loopback with bearer-token authentication. */
class GrpcTransportContractTest extends TransportContractTest {
  private static final String WORKER_TOKEN = "worker-token-0123456789";

  @Override
  protected CoordinatorTransport newCoordinator() {
    return GrpcCoordinatorTransport.builder()
        .host("127.0.0.1")
        .port(0)
        .workerTokens(Set.of(WORKER_TOKEN))
        // the kit's workers answer leases never assigned to them; GrpcEngineBadInputTest covers
        // the default, where such results end the stream
        .checkLeases(false)
        .build();
  }

  @Override
  protected WorkerTransport newWorker(CoordinatorTransport started) {
    return GrpcWorkerTransport.builder("127.0.0.1:" + ((GrpcCoordinatorTransport) started).port())
        .token(WORKER_TOKEN)
        .reconnect(Duration.ZERO, Duration.ofMillis(100))
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  protected Optional<WorkerTransport> newUnauthenticatedWorker(CoordinatorTransport started) {
    return Optional.of(
        GrpcWorkerTransport.builder("127.0.0.1:" + ((GrpcCoordinatorTransport) started).port())
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build());
  }
}
