package io.poolforge.compute.api.transport;

import java.util.Map;

/**
 * Creates transports from configuration; found through {@link java.util.ServiceLoader}. Explicit
 * wiring in a builder wins over discovery.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface TransportProvider {
  /**
   * The provider's id, such as "grpc" or "in-process".
   *
   * @return the id
   */
  String id();

  /**
   * Whether its libraries are usable here. Never throws.
   *
   * @return true if usable
   */
  boolean isAvailable();

  /**
   * Preference among providers; higher wins.
   *
   * @return the priority
   */
  int priority();

  /**
   * Creates the coordinator's end.
   *
   * @param config provider-specific settings (such as "port" and TLS files)
   * @return the transport
   */
  CoordinatorTransport coordinator(Map<String, String> config);

  /**
   * Creates a worker's end.
   *
   * @param config provider-specific settings (such as "target" and a token)
   * @return the transport
   */
  WorkerTransport worker(Map<String, String> config);
}
