package io.poolforge.examples.cli;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.worker.WorkerNode;
import io.poolforge.transport.grpc.GrpcWorkerTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code poolforge worker}: joins a coordinator over gRPC and computes on the chosen backends until
 * killed, reconnecting (with the leases it holds) when the coordinator restarts.
 *
 * <p>Not thread-safe; picocli runs it once.
 *
 * @since 0.1.0
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Run a worker that joins a coordinator over gRPC.")
public final class WorkerCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(names = "--id", description = "Worker id (default: worker-<pid>).")
  @Nullable String id;

  @Option(
      names = "--payout",
      description =
          "EVM address (0x + 40 hex digits) its credits are paid to. A coordinator that keeps a"
              + " store (and so a reward ledger) refuses a worker without one.")
  @Nullable String payout;

  @Option(names = "--owner", description = "Who operates it; replicas go to distinct owners.")
  @Nullable String owner;

  @Option(
      names = "--backend",
      description =
          "Backend id to use, such as cpu or cuda (repeatable; default: every available one).")
  @Nullable List<String> backends;

  @Option(
      names = "--key",
      description = "Ed25519 key file (PEM), created if missing (default: a fresh key each run).")
  @Nullable Path key;

  @Option(names = "--tls-cert", description = "Client certificate chain for mutual TLS (PEM).")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", description = "Client private key for mutual TLS (PKCS#8 PEM).")
  @Nullable Path tlsKey;

  @Option(
      names = "--urgent-target",
      description =
          "The coordinator's urgent-lane address (its --urgent-port), as host:port; default: the"
              + " coordinator address.")
  @Nullable String urgentTarget;

  @Option(names = "--slots", description = "Batches run at once (default: cores).")
  @Nullable Integer slots;

  @Option(names = "--window", description = "Most tasks held at once (the credit window).")
  @Nullable Integer window;

  @Option(
      names = "--reconnect",
      defaultValue = "5m",
      description = "How long to keep reconnecting (default ${DEFAULT-VALUE}).")
  String reconnect = "5m";

  /** Creates the command; picocli fills its options. */
  public WorkerCommand() {}

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (io.poolforge.compute.api.PoolException e) {
      System.err.println(
          "poolforge "
              + getClass().getSimpleName().replace("Command", "").toLowerCase(java.util.Locale.ROOT)
              + ": "
              + e.getMessage());
      return 1;
    }
  }

  private Integer run() throws Exception {
    GrpcWorkerTransport.Builder tb =
        GrpcWorkerTransport.builder(connection.coordinator)
            .reconnect(
                CoordinatorCommand.Durations.parse("--reconnect", reconnect),
                Duration.ofSeconds(2));
    String token = connection.token();
    if (token != null) {
      tb.token(token);
    }
    if (urgentTarget != null) {
      tb.urgentLaneTarget(urgentTarget);
    }
    if (connection.tlsCa != null) {
      tb.tls(connection.tlsCa);
    }
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw PoolException.invalidArgument("--tls-cert", "--tls-cert and --tls-key go together");
      }
      tb.clientCertificate(tlsCert, tlsKey);
    }
    GrpcWorkerTransport transport = tb.build();
    WorkerNode.Builder wb =
        WorkerNode.builder()
            .transport(transport)
            .id(id != null ? id : "worker-" + ProcessHandle.current().pid());
    BuiltinKinds.all().forEach(wb::kind);
    if (backends != null) {
      for (String b : backends) {
        wb.backend(backend(b));
      }
    }
    if (payout != null) {
      wb.payoutAddress(payout);
    }
    if (owner != null) {
      wb.owner(owner);
    }
    if (key != null) {
      wb.keyPair(WorkerKeys.loadOrCreate(key));
    }
    if (slots != null) {
      wb.slots(slots);
    }
    if (window != null) {
      wb.window(window);
    }
    WorkerNode node = wb.build().start();
    System.out.println("worker connected to " + connection.coordinator);
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  transport.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }

  static ComputeBackend backend(String id) {
    for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
      if (p.id().equals(id)) {
        if (!p.isAvailable()) {
          throw PoolException.invalidArgument(
              "--backend", "'" + id + "' is not available on this machine");
        }
        return p.create();
      }
    }
    throw PoolException.invalidArgument("--backend", "no backend '" + id + "' is installed");
  }
}
