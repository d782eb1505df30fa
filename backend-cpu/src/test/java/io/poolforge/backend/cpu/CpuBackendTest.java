package io.poolforge.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.tck.backend.KnownAnswers;
import io.poolforge.compute.tck.backend.RecordingContext;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the CPU backend does beyond the contract: discovery, checkpoints, cancellation. */
class CpuBackendTest {
  @Test
  void isFoundThroughServiceLoader() {
    assertThat(ServiceLoader.load(ComputeBackendProvider.class).stream().map(p -> p.get().id()))
        .contains("cpu");
    assertThatThrownBy(() -> new CpuBackendProvider(0))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("threads");
  }

  @Test
  void savesACheckpointPerBlockThatResumesToTheSameAnswer() {
    Bytes target = PowInput.targetFromBits(KnownAnswers.GENESIS_BITS);
    long length = CpuBackend.POW_BLOCK + 5_000;
    PowInput in = PowInput.of(KnownAnswers.GENESIS_HEADER, 0, length, target);
    RecordingContext ctx = new RecordingContext(null);
    try (ComputeBackend cpu = new CpuBackendProvider(2).create()) {
      List<PowOutput> out = cpu.execute(BuiltinKinds.pow(), List.of(in), ctx);
      assertThat(out.get(0).outcome()).isEqualTo(PowOutput.Outcome.BEST);
      assertThat(ctx.saved()).hasSize(1);
      PowInput resumed = BuiltinKinds.pow().resumer().orElseThrow().resume(in, ctx.saved().get(0));
      assertThat(resumed.start()).isEqualTo(CpuBackend.POW_BLOCK);
      assertThat(PowKind.search(resumed, () -> false)).isEqualTo(out.get(0));
      // resuming on the backend from that checkpoint gives the same answer
      RecordingContext again = new RecordingContext(ctx.saved().get(0));
      assertThat(cpu.execute(BuiltinKinds.pow(), List.of(in), again)).isEqualTo(out);
    }
  }

  @Test
  void aCancelledBatchStopsWithCancelled() {
    Bytes target = PowInput.targetFromBits(KnownAnswers.GENESIS_BITS);
    PowInput huge = PowInput.of(KnownAnswers.GENESIS_HEADER, 0, 1L << 32, target);
    RecordingContext ctx = new RecordingContext(null);
    ctx.cancel();
    try (ComputeBackend cpu = new CpuBackendProvider(2).create()) {
      assertThatThrownBy(() -> cpu.execute(BuiltinKinds.pow(), List.of(huge), ctx))
          .isInstanceOf(PoolException.class)
          .satisfies(e -> assertThat(((PoolException) e).code()).isEqualTo(ErrorCode.CANCELLED));
      // the backend still works afterwards
      assertThat(
              cpu.execute(
                  BuiltinKinds.sha256(),
                  List.of(
                      io.poolforge.compute.core.kinds.Sha256Input.of(KnownAnswers.ascii("abc"))),
                  ExecutionContext.NONE))
          .hasSize(1);
    }
  }

  @Test
  void closingWhileABatchRunsEndsItWithUnavailableInsteadOfHanging() throws Exception {
    Bytes target = PowInput.targetFromBits(KnownAnswers.GENESIS_BITS);
    PowInput huge = PowInput.of(KnownAnswers.GENESIS_HEADER, 0, 1L << 32, target);
    ComputeBackend cpu = new CpuBackendProvider(2).create();
    CompletableFuture<List<PowOutput>> running =
        CompletableFuture.supplyAsync(
            () -> cpu.execute(BuiltinKinds.pow(), List.of(huge), ExecutionContext.NONE));
    Thread.sleep(200);
    cpu.close();
    assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PoolException.class)
        .satisfies(e -> assertThat(((PoolException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThatThrownBy(
            () ->
                cpu.execute(
                    BuiltinKinds.sha256(),
                    List.of(
                        io.poolforge.compute.core.kinds.Sha256Input.of(KnownAnswers.ascii("abc"))),
                    ExecutionContext.NONE))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("closed");
  }
}
