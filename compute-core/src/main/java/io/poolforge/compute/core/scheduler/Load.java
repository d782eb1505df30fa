package io.poolforge.compute.core.scheduler;

import io.poolforge.compute.api.schedule.WorkerView;

/** How busy a worker is, in [0, 1], from what it holds of its credit window and what it reports. */
final class Load {
  private Load() {}

  static double of(WorkerView w) {
    int inFlight = w.inFlight();
    int window = inFlight + w.freeCredit();
    double held = window == 0 ? 1.0 : (double) inFlight / window;
    return 0.75 * held + 0.25 * w.load();
  }
}
