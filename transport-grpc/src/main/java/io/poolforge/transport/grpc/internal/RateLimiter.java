package io.poolforge.transport.grpc.internal;

import java.time.Clock;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, holding at most {@code burst}.
 *
 * <p>Thread-safe (a worker stream and its urgent lane share one).
 */
public final class RateLimiter {
  private final Clock clock;
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  /**
   * Creates a full bucket.
   *
   * @param clock the time source
   * @param ratePerSecond tokens added per second, &gt; 0
   * @param burst the bucket size, &gt;= 1
   */
  public RateLimiter(Clock clock, double ratePerSecond, int burst) {
    this.clock = clock;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nanos();
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Takes one token if there is one.
   *
   * @return false when the rate is exceeded
   */
  public synchronized boolean tryAcquire() {
    long now = nanos();
    if (now > lastNanos) {
      tokens = Math.min(burst, tokens + (now - lastNanos) * ratePerNano);
      lastNanos = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
