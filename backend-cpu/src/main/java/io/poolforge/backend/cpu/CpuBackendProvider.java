package io.poolforge.backend.cpu;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;

/**
 * Creates CPU backends, found through {@link java.util.ServiceLoader}. Always available; its
 * priority ({@value #PRIORITY}) is the lowest of the built-in backends, so a worker prefers a GPU
 * where it has one.
 *
 * <p>Immutable and thread-safe; cheap to construct; never blocks.
 *
 * @since 0.1.0
 */
public final class CpuBackendProvider implements ComputeBackendProvider {
  /** The backend id. */
  public static final String ID = "cpu";

  /** The discovery priority. */
  public static final int PRIORITY = 0;

  private final int threads;

  /** A provider whose backends use one thread per available processor. */
  public CpuBackendProvider() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A provider whose backends use {@code threads} threads.
   *
   * @param threads 1 to 4096
   */
  public CpuBackendProvider(int threads) {
    if (threads < 1 || threads > 4096) {
      throw PoolException.invalidArgument("threads", "is " + threads + ", must be in [1, 4096]");
    }
    this.threads = threads;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Creates a backend with its own pool of worker threads, released by {@link
   * ComputeBackend#close()}.
   *
   * @return the backend
   */
  @Override
  public ComputeBackend create() {
    return new CpuBackend(threads);
  }

  @Override
  public String toString() {
    return "CpuBackendProvider[threads=" + threads + "]";
  }
}
