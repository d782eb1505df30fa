package io.poolforge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Output;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedding example of the README, as written there, so it cannot rot. */
class ReadmeExampleTest {
  @Test
  void poolAndWorkerInOneJvm() throws Exception {
    Sha256Output result;
    try (InProcessTransport transport = InProcessTransport.create()) {
      Pool pool =
          Coordinator.builder()
              .kind(BuiltinKinds.sha256())
              .transport(transport.coordinator())
              .build();
      WorkerNode worker =
          WorkerNode.builder()
              .transport(transport.worker())
              .kind(BuiltinKinds.sha256())
              .build()
              .start();
      TaskHandle task = pool.submit(BuiltinKinds.sha256(), Sha256Input.of(Bytes.fromHex("616263")));
      Sha256Output digests = task.result().get(60, TimeUnit.SECONDS).output(BuiltinKinds.sha256());
      result = digests;
      worker.close();
      pool.close();
    }
    assertThat(result.digests().get(0).toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
