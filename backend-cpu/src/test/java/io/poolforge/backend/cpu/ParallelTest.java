package io.poolforge.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The CPU backend's own threads. */
class ParallelTest {
  @Test
  void poolThreadsRunBelowNormalPriorityWhoeverMadeThePoolGrow() throws Exception {
    Set<Integer> priorities = ConcurrentHashMap.newKeySet();
    try (Parallel parallel = new Parallel(2)) {
      // the first work comes from a thread of the highest priority, as a worker's urgent runner
      Thread urgent =
          Thread.ofPlatform()
              .priority(Thread.MAX_PRIORITY)
              .start(
                  () ->
                      parallel.forEach(
                          64,
                          i -> {
                            Thread t = Thread.currentThread();
                            if (t.getName().startsWith("poolforge-cpu-")) {
                              priorities.add(t.getPriority());
                            }
                          },
                          ExecutionContext.NONE));
      urgent.join();
    }
    assertThat(priorities).containsExactly(Thread.MIN_PRIORITY);
  }
}
