package io.poolforge.benchmarks.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's fake clock: it shows the simulated time and moves only when told. */
final class SimClock extends Clock {
  private Instant now = Instant.EPOCH;

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
