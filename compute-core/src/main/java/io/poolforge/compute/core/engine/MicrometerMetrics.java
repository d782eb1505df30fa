package io.poolforge.compute.core.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.poolforge.compute.api.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of a pool: queue depth per priority, allocation latency histogram, completed
 * and failed task counters (rates give tasks/s) and worker utilization. Only loaded when a registry
 * is configured. Thread-safe.
 */
final class MicrometerMetrics implements EngineMetrics {
  private final MeterRegistry registry;
  private final Timer allocation;
  private final Counter completed;
  private final Counter failed;
  private final List<Meter> meters = new ArrayList<>();

  MicrometerMetrics(Object registry, Scheduler scheduler) {
    this.registry = (MeterRegistry) registry;
    this.allocation =
        Timer.builder("poolforge.allocation")
            .description("time to pick a worker and form one batch")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(this.registry);
    this.completed =
        Counter.builder("poolforge.tasks.completed")
            .description("tasks completed with a verified result")
            .register(this.registry);
    this.failed =
        Counter.builder("poolforge.tasks.failed")
            .description("tasks that failed or were cancelled")
            .register(this.registry);
    meters.add(allocation);
    meters.add(completed);
    meters.add(failed);
    for (int p = Priority.MIN; p <= Priority.MAX; p++) {
      int priority = p;
      meters.add(
          Gauge.builder("poolforge.queue.depth", scheduler, s -> s.queuedAt(priority))
              .description("queued tasks per priority")
              .tag("priority", Integer.toString(p))
              .register(this.registry));
    }
    meters.add(
        Gauge.builder("poolforge.workers.utilization", scheduler, Scheduler::utilization)
            .description("tasks held by workers over their granted window")
            .register(this.registry));
    meters.add(
        Gauge.builder("poolforge.workers", scheduler, Scheduler::workerCount)
            .description("connected workers")
            .register(this.registry));
  }

  @Override
  public void allocated(long nanos, int tasks) {
    allocation.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void completed(int tasks) {
    completed.increment(tasks);
  }

  @Override
  public void failed(int tasks) {
    failed.increment(tasks);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
