package io.poolforge.benchmarks.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulations' fake clock: it shows the simulated time and moves only when told. Thread-safe
 * (readers on other threads see the latest time set).
 */
final class SimClock extends Clock {
  private volatile Instant now = Instant.EPOCH;

  void setNanos(long nanos) {
    now = Instant.EPOCH.plusNanos(nanos);
  }

  void setSeconds(double seconds) {
    now = Instant.EPOCH.plusNanos((long) (seconds * 1e9));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
