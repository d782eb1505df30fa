package io.poolforge.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz} ("ok") and {@code /metrics} (Prometheus text exposition format 0.0.4) on
 * a plain HTTP port with the JDK's built-in server.
 *
 * <p>Thread-safe; the gauges are read on the server's thread at each scrape.
 *
 * @since 0.1.0
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * Starts serving.
   *
   * @param host the address to bind
   * @param port the port, 0 for any
   * @param gauges metric name to value, read at each scrape; names ending in _total are counters
   * @throws IOException if the port cannot be bound
   */
  public MetricsServer(String host, int port, Supplier<Map<String, Double>> gauges)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/healthz", ex -> reply(ex, "text/plain; charset=utf-8", "ok\n"));
    server.createContext(
        "/metrics",
        ex -> {
          StringBuilder sb = new StringBuilder();
          Map<String, Double> values = new java.util.TreeMap<>(gauges.get());
          values.put(
              "jvm_heap_used_bytes",
              (double) ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
          values.forEach(
              (name, v) -> {
                sb.append("# TYPE ")
                    .append(name)
                    .append(name.endsWith("_total") ? " counter\n" : " gauge\n")
                    .append(name)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.0f", v))
                    .append('\n');
              });
          reply(ex, "text/plain; version=0.0.4; charset=utf-8", sb.toString());
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "poolforge-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /**
   * The bound port.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
