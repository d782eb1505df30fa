package io.poolforge.examples.cli;

import io.poolforge.transport.grpc.PoolClient;

/**
 * Builds a {@link PoolClient} from the shared connection options.
 *
 * <p>Stateless and thread-safe.
 */
final class Clients {
  private Clients() {}

  static PoolClient client(ConnectionOptions c) {
    PoolClient.Builder b = PoolClient.builder(c.coordinator);
    String token = c.token();
    if (token != null) {
      b.token(token);
    }
    if (c.tlsCa != null) {
      b.tls(c.tlsCa);
    }
    return b.build();
  }
}
