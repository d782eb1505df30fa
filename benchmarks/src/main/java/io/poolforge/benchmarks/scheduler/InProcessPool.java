package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole pool in this JVM: in-memory store, verification off, noop workers. Finished tasks leave
 * the store after 2 s ({@code storeRetention}), so a long run does not fill the heap with records
 * of completed tasks (2 million per 5-second iteration at 400k tasks/s).
 */
final class InProcessPool implements AutoCloseable {
  final InProcessTransport transport = InProcessTransport.create();
  final InMemoryTaskStore store = new InMemoryTaskStore();
  final Pool pool;
  final List<WorkerNode> workers = new ArrayList<>();

  InProcessPool(int workerCount) {
    this(workerCount, 32);
  }

  /** A pool whose workers each hold at most {@code window} tasks. */
  InProcessPool(int workerCount, int window) {
    pool =
        Coordinator.builder()
            .kind(NoopKind.INSTANCE)
            .transport(transport.coordinator())
            .taskStore(store)
            .defaultVerification(VerificationSpec.none())
            .maxQueuedTasks(4_000_000)
            .finishedRetention(10_000)
            .storeRetention(Duration.ofSeconds(2))
            .build();
    for (int i = 0; i < workerCount; i++) {
      workers.add(
          WorkerNode.builder()
              .id("bench-" + i)
              .transport(transport.worker())
              .kind(NoopKind.INSTANCE)
              .backend(new NoopKind.Backend())
              .slots(1)
              .window(window)
              .build()
              .start());
    }
  }

  @Override
  public void close() {
    workers.forEach(WorkerNode::abort);
    pool.close();
    transport.close();
  }
}
