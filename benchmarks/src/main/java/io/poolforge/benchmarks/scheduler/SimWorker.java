package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.schedule.WorkerView;

/** A simulated worker for placement benchmarks: credit, in-flight count and fixed figures. */
final class SimWorker implements WorkerView {
  final int index;
  final WorkerId id;
  final double speedNanos;
  final long memory;
  int credit;
  int inFlight;
  int placed;

  SimWorker(int index, int credit, double speedNanos, long memory) {
    this.index = index;
    this.id = new WorkerId("w" + index);
    this.credit = credit;
    this.speedNanos = speedNanos;
    this.memory = memory;
  }

  @Override
  public WorkerId id() {
    return id;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public String owner() {
    return "o";
  }

  @Override
  public int freeCredit() {
    return credit;
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public double load() {
    return 0;
  }

  @Override
  public long freeDeviceMemoryBytes() {
    return memory;
  }

  @Override
  public double nanosPerTask(String kind) {
    return speedNanos;
  }

  @Override
  public double latencyNanos() {
    return 0;
  }

  @Override
  public double credibility(String kind) {
    return 0.5;
  }
}
