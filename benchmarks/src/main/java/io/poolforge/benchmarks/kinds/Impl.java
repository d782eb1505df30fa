package io.poolforge.benchmarks.kinds;

import io.poolforge.backend.cpu.CpuBackendProvider;
import io.poolforge.compute.api.backend.ComputeBackend;
import org.jspecify.annotations.Nullable;

/** The implementations a kinds benchmark compares. Not thread-safe; JMH state only. */
final class Impl {
  private Impl() {}

  /**
   * The backend for an {@code impl} parameter.
   *
   * @param impl "jdk", "cpu1" or "cpu"
   * @return a backend, or null for the bare JDK loop
   */
  static @Nullable ComputeBackend backend(String impl) {
    return switch (impl) {
      case "jdk" -> null;
      case "cpu1" -> new CpuBackendProvider(1).create();
      case "cpu" -> new CpuBackendProvider().create();
      default -> throw new IllegalArgumentException("impl: unknown '" + impl + "'");
    };
  }
}
