package io.poolforge.backend.cpu;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.RenderOutput;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend: the reference code of each built-in kind, split into chunks that run on the
 * backend's own thread pool. SHA-256 goes through the JDK's MessageDigest (SHA-NI intrinsics where
 * the CPU has them), modular exponentiation through BigInteger.modPow, rendering through the plain
 * Java path tracer.
 *
 * <p>Thread-safe; {@link #execute} blocks until the batch is done.
 */
final class CpuBackend implements ComputeBackend {
  /** Nonces per proof-of-work block: the unit of checkpointing and cancellation. */
  static final long POW_BLOCK = 1L << 20;

  private static final Set<String> KINDS =
      Set.of(Sha256Kind.ID, PowKind.ID, ModExpKind.ID, ModExpKind.GENERAL_ID, RenderKind.ID);

  private final Parallel parallel;
  private final int threads;
  private final List<DeviceInfo> devices;

  CpuBackend(int threads) {
    this.threads = threads;
    this.parallel = new Parallel(threads);
    this.devices =
        List.of(
            new DeviceInfo(
                CpuBackendProvider.ID, HostInfo.cpuName(), HostInfo.memoryBytes(), threads, false));
  }

  @Override
  public String id() {
    return CpuBackendProvider.ID;
  }

  @Override
  public List<DeviceInfo> devices() {
    return devices;
  }

  @Override
  public Set<String> kinds() {
    return KINDS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    parallel.checkOpen();
    if (kind == null) {
      throw PoolException.invalidArgument("kind", "must not be null");
    }
    if (inputs == null || inputs.isEmpty()) {
      throw PoolException.invalidArgument("inputs", "is empty, must hold at least one input");
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null) {
        throw PoolException.invalidArgument("inputs[" + i + "]", "must not be null");
      }
      kind.validate(inputs.get(i));
    }
    ExecutionContext ctx = context == null ? ExecutionContext.NONE : context;
    if (kind == BuiltinKinds.sha256()) {
      return (List<O>) sha256((List<Sha256Input>) inputs, ctx);
    } else if (kind == BuiltinKinds.pow()) {
      return (List<O>) pow((List<PowInput>) inputs, ctx);
    } else if (kind instanceof ModExpKind) {
      return (List<O>) modexp((List<ModExpInput>) inputs, ctx);
    } else if (kind == BuiltinKinds.render()) {
      return (List<O>) render((List<RenderInput>) inputs, ctx);
    }
    throw PoolException.invalidArgument(
        "kind",
        "'"
            + kind.id()
            + "' ("
            + kind.getClass().getName()
            + ") is not a kind backend 'cpu' runs; it runs the built-in kinds "
            + KINDS);
  }

  private List<Sha256Output> sha256(List<Sha256Input> inputs, ExecutionContext ctx) {
    List<Bytes> flat;
    if (inputs.size() == 1) {
      flat = inputs.get(0).messages();
    } else {
      flat = new ArrayList<>();
      for (Sha256Input in : inputs) {
        flat.addAll(in.messages());
      }
    }
    Bytes[] digests = new Bytes[flat.size()];
    parallel.forRange(
        flat.size(),
        (from, to) -> {
          MessageDigest md = Sha256Kind.newDigest();
          for (int i = from; i < to; i++) {
            digests[i] = Sha256Kind.digest(md, flat.get(i));
          }
        },
        ctx);
    if (inputs.size() == 1) {
      return List.of(new Sha256Output(Arrays.asList(digests)));
    }
    List<Sha256Output> out = new ArrayList<>(inputs.size());
    int at = 0;
    for (Sha256Input in : inputs) {
      int n = in.messages().size();
      out.add(new Sha256Output(Arrays.asList(digests).subList(at, at + n)));
      at += n;
    }
    return out;
  }

  private List<ModExpOutput> modexp(List<ModExpInput> inputs, ExecutionContext ctx) {
    List<ModExpOp> flat = new ArrayList<>();
    for (ModExpInput in : inputs) {
      flat.addAll(in.ops());
    }
    BigInteger[] results = new BigInteger[flat.size()];
    parallel.forEach(flat.size(), i -> results[i] = ModExpKind.compute(flat.get(i)), ctx);
    List<ModExpOutput> out = new ArrayList<>(inputs.size());
    int at = 0;
    for (ModExpInput in : inputs) {
      int n = in.ops().size();
      out.add(new ModExpOutput(Arrays.asList(results).subList(at, at + n)));
      at += n;
    }
    return out;
  }

  private List<RenderOutput> render(List<RenderInput> inputs, ExecutionContext ctx) {
    List<RenderOutput> out = new ArrayList<>(inputs.size());
    for (RenderInput in : inputs) {
      double[] rgb = new double[in.pixels() * 3];
      parallel.forEach(
          in.height(), row -> RenderKind.renderRows(in, row, row + 1, rgb, ctx::cancelled), ctx);
      out.add(RenderOutput.of(in.width(), in.height(), in.format(), rgb));
    }
    return out;
  }

  /**
   * Searches each range block by block; the threads split each block into sub-ranges. With a
   * single-task batch the context's checkpoint is resumed from and a checkpoint is saved after each
   * block; a batch of several ranges has no checkpoint, since one checkpoint cannot describe them.
   */
  private List<PowOutput> pow(List<PowInput> inputs, ExecutionContext ctx) {
    PowKind kind = BuiltinKinds.pow();
    TaskKind.Splitter<PowInput, PowOutput> splitter = kind.splitter().orElseThrow();
    boolean checkpoints = inputs.size() == 1;
    List<PowOutput> out = new ArrayList<>(inputs.size());
    for (PowInput original : inputs) {
      PowInput in = original;
      Optional<Bytes> saved = checkpoints ? ctx.checkpoint() : Optional.empty();
      if (saved.isPresent()) {
        in = kind.resumer().orElseThrow().resume(original, saved.get());
      }
      PowOutput result = null;
      while (result == null) {
        long blockEnd = Math.min(in.end(), in.start() + POW_BLOCK);
        PowInput block =
            new PowInput(
                in.header(), in.start(), blockEnd, in.target(), in.reportBest(), in.carried());
        PowOutput blockResult = powBlock(splitter, block, ctx);
        if (blockResult.outcome() == PowOutput.Outcome.FOUND || blockEnd == in.end()) {
          result = blockResult;
        } else {
          PowOutput carried = in.reportBest() ? blockResult : null;
          if (checkpoints) {
            ctx.saveCheckpoint(PowKind.checkpoint(blockEnd, carried));
          }
          in = new PowInput(in.header(), blockEnd, in.end(), in.target(), in.reportBest(), carried);
        }
      }
      out.add(result);
    }
    return out;
  }

  /** One block on all threads; a part stops early once a part before it found a nonce. */
  private PowOutput powBlock(
      TaskKind.Splitter<PowInput, PowOutput> splitter, PowInput block, ExecutionContext ctx) {
    List<PowInput> parts = splitter.split(block, threads);
    PowOutput[] results = new PowOutput[parts.size()];
    AtomicInteger firstFound = new AtomicInteger(Integer.MAX_VALUE);
    parallel.forEach(
        parts.size(),
        i -> {
          try {
            PowOutput r =
                PowKind.search(parts.get(i), () -> firstFound.get() < i || ctx.cancelled());
            results[i] = r;
            if (r.outcome() == PowOutput.Outcome.FOUND) {
              firstFound.accumulateAndGet(i, Math::min);
            }
          } catch (PoolException e) {
            if (e.code() != ErrorCode.CANCELLED || ctx.cancelled()) {
              throw e;
            }
            // abandoned: a lower part found a nonce, so this part's result no longer matters
          }
        },
        ctx);
    int found = firstFound.get();
    if (found != Integer.MAX_VALUE) {
      return results[found];
    }
    return splitter.merge(block, Arrays.asList(results));
  }

  @Override
  public void close() {
    parallel.close();
  }

  @Override
  public String toString() {
    return "CpuBackend[threads=" + threads + "]";
  }
}
