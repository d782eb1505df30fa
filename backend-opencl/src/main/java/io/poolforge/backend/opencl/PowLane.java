package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pow} kind on {@link PowEngine}: one search per input, stopping at the first nonce that
 * meets the target. A single-input batch resumes from the context's checkpoint and saves one about
 * every {@link #CHECKPOINT_NANOS} (the default). Thread-safe; blocks.
 */
final class PowLane implements Lane {
  /** How often a long search saves a checkpoint. */
  static final long CHECKPOINT_NANOS = 2_000_000_000L;

  private final PowEngine engine;
  private final long checkpointNanos;

  PowLane(OpenCLDevice device) {
    this(device, CHECKPOINT_NANOS);
  }

  PowLane(OpenCLDevice device, long checkpointNanos) {
    this.engine = new PowEngine(device);
    this.checkpointNanos = checkpointNanos;
  }

  @Override
  public String kindId() {
    return PowKind.ID;
  }

  @Override
  public DeviceKernel<?> kernel() {
    return engine.kernel();
  }

  @Override
  public boolean accepts(TaskKind<?, ?> kind) {
    return kind instanceof PowKind;
  }

  @Override
  public List<Object> run(List<?> inputs, ExecutionContext context) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (Object o : inputs) {
      PowInput in = (PowInput) o;
      if (inputs.size() == 1 && context.checkpoint().isPresent()) {
        in = BuiltinKinds.pow().resumer().orElseThrow().resume(in, context.checkpoint().get());
      }
      out.add(search(in, context, inputs.size() == 1));
    }
    return out;
  }

  private PowOutput search(PowInput in, ExecutionContext context, boolean checkpoints) {
    byte[] be = in.target().toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32; i++) {
      le[i] = be[31 - i];
    }
    PowSearch job =
        new PowSearch(in.header().toByteArray(), in.start(), in.end() - in.start(), le, true);
    PowOutput carried = in.carried();
    long[] lastSave = {System.nanoTime()};
    PowOutcome r =
        engine.search(
            job,
            context::cancelled,
            (next, nonce, hash) -> {
              long now = System.nanoTime();
              if (checkpoints && next < in.end() && now - lastSave[0] >= checkpointNanos) {
                lastSave[0] = now;
                PowOutput best = in.reportBest() ? better(carried, nonce, hash) : null;
                context.saveCheckpoint(PowKind.checkpoint(next, best));
              }
            });
    if (r.foundNonce() >= 0) {
      return PowOutput.found(
          r.foundNonce(), Bytes.wrap(PowKind.doubleHash(job.header(), r.foundNonce())));
    }
    if (!in.reportBest()) {
      return PowOutput.NONE;
    }
    PowOutput best = better(carried, r.bestNonce(), r.bestHash());
    return best == null ? PowOutput.NONE : best;
  }

  /** The carried best unless the range's best is strictly lower (ties keep the lower nonce). */
  private static @Nullable PowOutput better(
      @Nullable PowOutput carried, long nonce, byte @Nullable [] hash) {
    if (nonce < 0 || hash == null) {
      return carried;
    }
    if (carried == null || compareLe(hash, carried.hash().toByteArray()) < 0) {
      return PowOutput.best(nonce, Bytes.of(hash));
    }
    return carried;
  }

  private static int compareLe(byte[] a, byte[] b) {
    for (int i = 31; i >= 0; i--) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @Override
  public void selfTest() {
    byte[] header = new byte[80];
    for (int i = 0; i < 80; i++) {
      header[i] = (byte) (i * 37 + 11);
    }
    // A target about one hash in 256 meets, over 3000 nonces: finds one.
    byte[] target = new byte[32];
    java.util.Arrays.fill(target, (byte) 0xff);
    target[0] = 0;
    PowInput found = new PowInput(Bytes.of(header), 1000, 4000, Bytes.of(target), true, null);
    // A target nothing meets: reports the best hash.
    byte[] hard = new byte[32];
    hard[31] = 1;
    PowInput best = new PowInput(Bytes.of(header), 5000, 7000, Bytes.of(hard), true, null);
    List<Object> got = run(List.of(found, best), ExecutionContext.NONE);
    Lanes.expectEqual(kindId(), got.get(0), PowKind.search(found, () -> false));
    Lanes.expectEqual(kindId(), got.get(1), PowKind.search(best, () -> false));
  }

  @Override
  public void close() {
    engine.close();
  }
}
