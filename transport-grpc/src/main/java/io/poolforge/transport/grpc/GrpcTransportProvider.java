package io.poolforge.transport.grpc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.TransportProvider;
import io.poolforge.compute.api.transport.WorkerTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The "grpc" {@link TransportProvider}, found through {@link java.util.ServiceLoader}.
 *
 * <p>Coordinator keys: {@code host}, {@code port}, {@code tls.cert}, {@code tls.key}, {@code
 * tls.clientCa}, {@code workerTokens} and {@code submitterTokens} (comma-separated), {@code
 * allowUnauthenticated}, {@code maxMessageBytes}, {@code compression}.
 *
 * <p>Worker keys: {@code target} (required), {@code tls.ca}, {@code tls.cert}, {@code tls.key},
 * {@code token}, {@code maxMessageBytes}, {@code compression}, {@code reconnectSeconds}.
 *
 * <p>An unknown key is refused with INVALID_ARGUMENT naming it. Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class GrpcTransportProvider implements TransportProvider {
  private static final Set<String> COORDINATOR_KEYS =
      Set.of(
          "host",
          "port",
          "tls.cert",
          "tls.key",
          "tls.clientCa",
          "workerTokens",
          "submitterTokens",
          "allowUnauthenticated",
          "maxMessageBytes",
          "compression");
  private static final Set<String> WORKER_KEYS =
      Set.of(
          "target",
          "tls.ca",
          "tls.cert",
          "tls.key",
          "token",
          "maxMessageBytes",
          "compression",
          "reconnectSeconds");

  /** Creates the provider; called by ServiceLoader. */
  public GrpcTransportProvider() {}

  @Override
  public String id() {
    return "grpc";
  }

  @Override
  public boolean isAvailable() {
    try {
      Class.forName(
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder",
          false,
          GrpcTransportProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public CoordinatorTransport coordinator(Map<String, String> config) {
    check(config, COORDINATOR_KEYS);
    GrpcCoordinatorTransport.Builder b = GrpcCoordinatorTransport.builder();
    if (config.containsKey("host")) {
      b.host(config.get("host"));
    }
    if (config.containsKey("port")) {
      b.port(integer(config, "port"));
    }
    if (config.containsKey("tls.cert") || config.containsKey("tls.key")) {
      b.tls(path(config, "tls.cert"), path(config, "tls.key"));
    }
    if (config.containsKey("tls.clientCa")) {
      b.clientCa(path(config, "tls.clientCa"));
    }
    if (config.containsKey("workerTokens")) {
      b.workerTokens(list(config.get("workerTokens")));
    }
    if (config.containsKey("submitterTokens")) {
      b.submitterTokens(list(config.get("submitterTokens")));
    }
    if (Boolean.parseBoolean(config.getOrDefault("allowUnauthenticated", "false"))) {
      b.allowUnauthenticated();
    }
    if (config.containsKey("maxMessageBytes")) {
      b.maxMessageBytes(integer(config, "maxMessageBytes"));
    }
    if (config.containsKey("compression")) {
      b.compression(config.get("compression"));
    }
    return b.build();
  }

  @Override
  public WorkerTransport worker(Map<String, String> config) {
    check(config, WORKER_KEYS);
    String target = config.get("target");
    if (target == null) {
      throw PoolException.invalidArgument("target", "is required, as host:port");
    }
    GrpcWorkerTransport.Builder b = GrpcWorkerTransport.builder(target);
    if (config.containsKey("tls.ca")) {
      b.tls(path(config, "tls.ca"));
    }
    if (config.containsKey("tls.cert") || config.containsKey("tls.key")) {
      b.clientCertificate(path(config, "tls.cert"), path(config, "tls.key"));
    }
    if (config.containsKey("token")) {
      b.token(config.get("token"));
    }
    if (config.containsKey("maxMessageBytes")) {
      b.maxMessageBytes(integer(config, "maxMessageBytes"));
    }
    if (config.containsKey("compression")) {
      b.compression(config.get("compression"));
    }
    if (config.containsKey("reconnectSeconds")) {
      b.reconnectFor(Duration.ofSeconds(integer(config, "reconnectSeconds")));
    }
    return b.build();
  }

  private static void check(Map<String, String> config, Set<String> known) {
    if (config == null) {
      throw PoolException.invalidArgument("config", "must not be null");
    }
    for (String k : config.keySet()) {
      if (!known.contains(k)) {
        throw PoolException.invalidArgument(
            k, "is not a grpc transport setting; known: " + String.join(", ", known));
      }
    }
  }

  private static int integer(Map<String, String> config, String key) {
    try {
      return Integer.parseInt(config.get(key).trim());
    } catch (NumberFormatException e) {
      throw PoolException.invalidArgument(key, "'" + config.get(key) + "' is not an integer");
    }
  }

  private static Path path(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      throw PoolException.invalidArgument(key, "is required with the other TLS settings");
    }
    return Path.of(v);
  }

  private static Set<String> list(String v) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return out;
  }
}
