package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void tasksRunOnInProcessWorkers() throws Exception {
    TestKinds.Echo echo = new TestKinds.Echo();
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool = Coordinator.builder().kind(echo).transport(transport.coordinator()).build()) {
      List<WorkerNode> workers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        workers.add(
            WorkerNode.builder()
                .id("w" + i)
                .owner("o" + i)
                .transport(transport.worker())
                .kind(echo)
                .backend(new TestBackend(Set.of("echo")))
                .slots(2)
                .build()
                .start());
      }
      List<TaskHandle> handles = new ArrayList<>();
      for (long i = 0; i < 200; i++) {
        handles.add(pool.submit(echo, i));
      }
      for (int i = 0; i < handles.size(); i++) {
        TaskResult r = handles.get(i).result().get(60, TimeUnit.SECONDS);
        assertThat(r.output(echo)).isEqualTo(i + 1);
      }
      assertThat(pool.workers()).hasSize(3);
      workers.forEach(WorkerNode::close);
    }
  }
}
