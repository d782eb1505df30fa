package io.poolforge.examples.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: where the coordinator is and how to authenticate. Tokens
 * may also come from the environment ({@code POOLFORGE_TOKEN}) so they stay out of process
 * listings.
 *
 * <p>Not thread-safe; filled by picocli.
 *
 * @since 0.1.0
 */
public final class ConnectionOptions {
  /** The coordinator address. */
  @Option(
      names = "--coordinator",
      defaultValue = "127.0.0.1:7070",
      description = "Coordinator address host:port (default ${DEFAULT-VALUE}).")
  String coordinator = "127.0.0.1:7070";

  /** The bearer token. */
  @Option(names = "--token", description = "Bearer token (or set POOLFORGE_TOKEN).")
  @Nullable String token;

  /** The CA certificates to trust for TLS. */
  @Option(names = "--tls-ca", description = "Use TLS, trusting these CA certificates (PEM).")
  @Nullable Path tlsCa;

  /** Creates empty options; picocli fills them. */
  public ConnectionOptions() {}

  @Nullable String token() {
    if (token != null) {
      return token;
    }
    String env = System.getenv("POOLFORGE_TOKEN");
    return env == null || env.isBlank() ? null : env;
  }
}
