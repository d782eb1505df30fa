package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.Requirements;
import io.poolforge.compute.api.schedule.Allocator;

/**
 * One requirement class: a kind and the requirements of its tasks, with its own queue and allocator
 * over only the workers that satisfy it, so matching never scans every worker. Owned by the
 * scheduler thread.
 */
final class Lane {
  final Key key;
  final LaneQueue queue;
  final Allocator allocator;
  boolean dirty;
  int workers;

  Lane(Key key, LaneQueue queue, Allocator allocator) {
    this.key = key;
    this.queue = queue;
    this.allocator = allocator;
  }

  boolean admits(Capabilities caps) {
    return caps.kinds().contains(key.kind()) && key.requirements().satisfiedBy(caps);
  }

  /**
   * What identifies a lane.
   *
   * @param kind the kind id
   * @param requirements the requirements
   */
  record Key(String kind, Requirements requirements) {}
}
