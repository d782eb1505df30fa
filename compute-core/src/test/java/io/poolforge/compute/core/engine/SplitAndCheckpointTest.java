package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.CountingLedger;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestBackend;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SplitAndCheckpointTest {
  private final InProcessTransport transport = InProcessTransport.create();
  private final TestKinds.RangeSum rangeSum = new TestKinds.RangeSum();
  private final TestKinds.Counting counting = new TestKinds.Counting();
  private final CountingLedger ledger = new CountingLedger();
  private final Pool pool =
      Coordinator.builder()
          .kind(rangeSum)
          .kind(counting)
          .transport(transport.coordinator())
          .ledger(ledger)
          .splitAboveCost(100)
          .maxChunks(8)
          .build();

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  @Test
  void largeTaskIsSplitIntoChunksAndMerged() throws Exception {
    ScriptedWorker probe =
        new ScriptedWorker(transport.worker(), "probe", "p", Set.of("range-sum")).grant(100);
    TaskHandle h = pool.submit(rangeSum, new long[] {0, 1000});
    Eventually.until("eight chunks out", () -> probe.assigned.size() == 8);
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.RUNNING);
    long sum = 0;
    for (int i = 0; i < 8; i++) {
      Assignment a = probe.next();
      long[] range = rangeSum.inputCodec().decode(a.payload());
      assertThat(range[1] - range[0]).isEqualTo(125);
      long part = rangeSum.compute(range, null);
      sum += part;
      probe.send(probe.result(a, TestKinds.LONG.encode(part)));
    }
    assertThat(h.result().get(30, TimeUnit.SECONDS).output(rangeSum))
        .isEqualTo(499_500L)
        .isEqualTo(sum);
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.COMPLETED);
    Eventually.until("chunks credited", () -> ledger.calls.size() == 8);
    assertThat(ledger.totals.get("pay-probe")).isEqualTo(BigInteger.valueOf(1000));
  }

  @Test
  void smallTaskIsNotSplitAndRunsOnAWorkerNode() throws Exception {
    try (WorkerNode node =
        WorkerNode.builder()
            .transport(transport.worker())
            .kind(rangeSum)
            .backend(new TestBackend(Set.of("range-sum")))
            .build()
            .start()) {
      TaskHandle h = pool.submit(rangeSum, new long[] {10, 20});
      assertThat(h.result().get(30, TimeUnit.SECONDS).output(rangeSum)).isEqualTo(145L);
      Eventually.until("credited", () -> ledger.calls.size() == 1);
    }
  }

  @Test
  void reassignedTaskResumesFromTheLastCheckpoint() throws Exception {
    TaskHandle h = pool.submit(counting, new long[] {0, 1000, 0});
    ScriptedWorker first =
        new ScriptedWorker(transport.worker(), "first", "f", Set.of("count")).grant(1);
    Assignment job = first.next();
    assertThat(job.checkpoint()).isNull();
    long acc = 0;
    for (long i = 0; i < 600; i++) {
      acc += i;
    }
    var state = TestKinds.longs(2).encode(new long[] {600, acc});
    first.checkpoint(job, state);
    Thread.sleep(50);
    first.close(); // the worker goes away before finishing

    TestKinds.Counting secondKind = new TestKinds.Counting();
    try (WorkerNode second =
        WorkerNode.builder()
            .id("second")
            .transport(transport.worker())
            .kind(secondKind)
            .backend(new TestBackend(Set.of("count")))
            .build()
            .start()) {
      assertThat(h.result().get(30, TimeUnit.SECONDS).output(counting)).isEqualTo(499_500L);
      assertThat(secondKind.steps.get()).as("only the rest was computed").isEqualTo(400);
    }
  }
}
