package io.poolforge.examples.cli;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.transport.grpc.GrpcCoordinatorTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code poolforge coordinator}: runs a coordinator that workers and submitters reach over gRPC, on
 * a durable store, with health and Prometheus metrics on an HTTP port. Runs until killed.
 *
 * <p>Not thread-safe; picocli runs it once.
 *
 * @since 0.1.0
 */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = "Run a coordinator: workers and submitters connect over gRPC.")
public final class CoordinatorCommand implements Callable<Integer> {
  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host = "0.0.0.0";

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "gRPC port (default ${DEFAULT-VALUE}).")
  int port = 7070;

  @Option(
      names = "--urgent-port",
      description =
          "Also listen on this port for workers' urgent lanes, on an I/O thread of their own"
              + " (workers use it with --urgent-target); default: urgent lanes share --port.")
  @Nullable Integer urgentPort;

  @Option(
      names = "--store",
      description =
          "Store URL, such as jdbc:sqlite:pool.db; default an in-memory store (lost on exit).")
  @Nullable String store;

  @Option(names = "--tls-cert", description = "Server certificate chain (PEM).")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", description = "Server private key (PKCS#8 PEM).")
  @Nullable Path tlsKey;

  @Option(
      names = "--client-ca",
      description = "Trust worker certificates signed by these CAs (mutual TLS).")
  @Nullable Path clientCa;

  @Option(
      names = "--worker-token",
      description = "Bearer token that authenticates workers (repeatable).")
  @Nullable List<String> workerTokens;

  @Option(
      names = "--submitter-token",
      description = "Bearer token that authenticates submitters (repeatable).")
  @Nullable List<String> submitterTokens;

  @Option(
      names = "--insecure",
      description = "Let unauthenticated peers in (trusted loopback only).")
  boolean insecure;

  @Option(
      names = "--http-port",
      defaultValue = "9090",
      description = "Health and metrics port, -1 for none (default ${DEFAULT-VALUE}).")
  int httpPort = 9090;

  @Option(
      names = "--lease",
      defaultValue = "10s",
      description = "Lease duration, such as 10s (default ${DEFAULT-VALUE}).")
  String lease = "10s";

  @Option(
      names = "--reconnect-grace",
      description =
          "How long a worker whose connection broke keeps its leases for a reconnect, such as 2s"
              + " (default: 5s, or the lease if shorter).")
  @Nullable String reconnectGrace;

  @Option(names = "--compression", defaultValue = "identity", description = "gzip or identity.")
  String compression = "identity";

  /** Creates the command; picocli fills its options. */
  public CoordinatorCommand() {}

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
    GrpcCoordinatorTransport.Builder tb =
        GrpcCoordinatorTransport.builder().host(host).port(port).compression(compression);
    if (urgentPort != null) {
      tb.urgentLanePort(urgentPort);
    }
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw PoolException.invalidArgument("--tls-cert", "--tls-cert and --tls-key go together");
      }
      tb.tls(tlsCert, tlsKey);
    }
    if (clientCa != null) {
      tb.clientCa(clientCa);
    }
    if (workerTokens != null) {
      tb.workerTokens(Set.copyOf(workerTokens));
    }
    if (submitterTokens != null) {
      tb.submitterTokens(Set.copyOf(submitterTokens));
    }
    if (insecure) {
      tb.allowUnauthenticated();
    }
    GrpcCoordinatorTransport transport = tb.build();
    Stores stores = store == null ? null : openStore(store);
    Coordinator.Builder pb =
        Coordinator.builder().transport(transport).leaseDuration(Durations.parse("--lease", lease));
    if (reconnectGrace != null) {
      pb.reconnectGrace(Durations.parse("--reconnect-grace", reconnectGrace));
    }
    BuiltinKinds.all().forEach(pb::kind);
    // with a store, workers are credited in its ledger: once per verified task, durably
    DefaultRewardLedger ledger =
        stores == null ? null : DefaultRewardLedger.builder().store(stores.ledger()).build();
    if (stores != null) {
      pb.taskStore(stores.tasks()).ledger(ledger);
    }
    Pool pool = pb.build();
    transport.attachPool(pool);
    AtomicLong completed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    pool.events().subscribe(new Counting(completed, failed));
    MetricsServer metrics =
        httpPort < 0
            ? null
            : new MetricsServer(
                host,
                httpPort,
                () -> {
                  Map<String, Double> m = new LinkedHashMap<>();
                  m.put("poolforge_workers_connected", (double) transport.connectedWorkers());
                  m.put("poolforge_tasks_completed_total", (double) completed.get());
                  m.put("poolforge_tasks_failed_total", (double) failed.get());
                  return m;
                });
    System.out.println(
        "coordinator listening on "
            + host
            + ":"
            + transport.port()
            + (metrics == null ? "" : ", metrics on :" + metrics.port())
            + (stores == null ? ", in-memory store" : ", store " + store)
            + (transport.urgentLanePort() < 0
                ? ""
                : ", urgent lanes on :" + transport.urgentLanePort()));
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (metrics != null) {
                    metrics.close();
                  }
                  pool.close();
                  transport.close();
                  if (ledger != null) {
                    ledger.close();
                  }
                  if (stores != null) {
                    stores.close();
                  }
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }

  static Stores openStore(String url) {
    return ServiceLoader.load(StoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(StoreProvider::isAvailable)
        .filter(p -> p.accepts(url))
        .max(Comparator.comparingInt(StoreProvider::priority))
        .orElseThrow(
            () ->
                PoolException.invalidArgument("--store", "no store provider accepts '" + url + "'"))
        .open(url);
  }

  /** Counts completions and failures for the metrics endpoint. */
  private record Counting(AtomicLong completed, AtomicLong failed)
      implements Flow.Subscriber<PoolEvent> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(PoolEvent e) {
      if (e instanceof PoolEvent.TaskCompleted) {
        completed.incrementAndGet();
      } else if (e instanceof PoolEvent.TaskFailed) {
        failed.incrementAndGet();
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }

  /** Parses durations like 500ms, 10s, 2m. */
  static final class Durations {
    private Durations() {}

    static Duration parse(String field, String text) {
      try {
        if (text.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
          return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("m")) {
          return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw PoolException.invalidArgument(
          field, "'" + text + "' is not a duration like 500ms, 10s or 2m");
    }
  }
}
