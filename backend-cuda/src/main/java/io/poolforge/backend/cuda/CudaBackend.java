package io.poolforge.backend.cuda;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * Runs the built-in kinds on every NVIDIA GPU of the machine, one {@link CudaDevice} (context,
 * streams, reused buffers) per GPU. Each kind cuts its work its own way: hashes by message count,
 * nonce searches into ranges of {@value #POW_CHUNK} nonces (checkpointed and cancellable between
 * ranges), exponentiations by operand size, render tiles by rows.
 *
 * <p>Thread-safe; {@link #execute} blocks until the batch is done.
 */
final class CudaBackend implements ComputeBackend {
  static final long POW_CHUNK = 1L << 28;
  private static final int RENDER_CHUNK_PIXELS = 1 << 16;

  private final List<CudaDevice> gpus;

  CudaBackend(List<CudaDevice> gpus) {
    if (gpus.isEmpty()) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "cuda: no GPU to drive");
    }
    this.gpus = List.copyOf(gpus);
  }

  @Override
  public String id() {
    return "cuda";
  }

  @Override
  public List<DeviceInfo> devices() {
    return gpus.stream().map(CudaDevice::info).toList();
  }

  @Override
  public Set<String> kinds() {
    return Set.of(Sha256Kind.ID, PowKind.ID, ModExpKind.ID, RenderKind.ID);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (inputs.isEmpty()) {
      throw PoolException.invalidArgument("inputs", "must hold at least one input");
    }
    for (I input : inputs) {
      kind.validate(input);
    }
    List<?> out =
        switch (kind.id()) {
          case Sha256Kind.ID -> sha256((List<Sha256Input>) inputs);
          case PowKind.ID -> pow((List<PowInput>) inputs, context);
          case ModExpKind.ID -> modexp((List<ModExpInput>) inputs);
          case RenderKind.ID -> render((List<RenderInput>) inputs, context);
          default ->
              throw PoolException.invalidArgument(
                  "kind", "'" + kind.id() + "' is not run by the cuda backend; it runs " + kinds());
        };
    return (List<O>) out;
  }

  /**
   * Runs {@code parts} pieces of work, one per GPU, results in order: inline on one GPU, on virtual
   * threads (each waits on its own device's thread) with several.
   */
  private <T> List<T> spread(int parts, IntFunction<T> work) {
    if (gpus.size() == 1) {
      List<T> results = new ArrayList<>(parts);
      for (int p = 0; p < parts; p++) {
        results.add(work.apply(p));
      }
      return results;
    }
    List<CompletableFuture<T>> futures = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int part = p;
      futures.add(
          CompletableFuture.supplyAsync(() -> work.apply(part), r -> Thread.ofVirtual().start(r)));
    }
    try {
      return futures.stream().map(CompletableFuture::join).toList();
    } catch (CompletionException e) {
      if (e.getCause() instanceof PoolException p) {
        throw p;
      }
      throw e;
    }
  }

  private List<Sha256Output> sha256(List<Sha256Input> inputs) {
    List<byte[]> all = new ArrayList<>();
    for (Sha256Input in : inputs) {
      for (Bytes m : in.messages()) {
        all.add(m.toByteArray());
      }
    }
    int n = gpus.size();
    int per = (all.size() + n - 1) / n;
    List<byte[][]> parts =
        spread(
            n,
            g -> {
              int from = Math.min(all.size(), g * per);
              int to = Math.min(all.size(), from + per);
              return from == to ? new byte[0][] : gpus.get(g).sha256(all.subList(from, to));
            });
    List<Bytes> digests = new ArrayList<>(all.size());
    for (byte[][] part : parts) {
      for (byte[] d : part) {
        digests.add(Bytes.wrap(d));
      }
    }
    List<Sha256Output> out = new ArrayList<>(inputs.size());
    int at = 0;
    for (Sha256Input in : inputs) {
      out.add(new Sha256Output(digests.subList(at, at + in.messages().size())));
      at += in.messages().size();
    }
    return out;
  }

  private List<PowOutput> pow(List<PowInput> inputs, ExecutionContext context) {
    List<PowOutput> out = new ArrayList<>(inputs.size());
    for (PowInput in : inputs) {
      out.add(search(in, context));
    }
    return out;
  }

  private PowOutput search(PowInput in, ExecutionContext context) {
    byte[] header = in.header().toByteArray();
    int[] target = words(in.target().toByteArray());
    long bestNonce = -1;
    byte[] bestHash = null;
    if (in.carried() != null && in.carried().outcome() == PowOutput.Outcome.BEST) {
      bestNonce = in.carried().nonce();
      bestHash = in.carried().hash().toByteArray();
    }
    long next = in.start();
    while (next < in.end()) {
      if (context.cancelled()) {
        throw new PoolException(ErrorCode.CANCELLED, "pow search cancelled at nonce " + next);
      }
      long roundStart = next;
      List<CudaDevice.PowSearch> round =
          spread(
              gpus.size(),
              g -> {
                long from = roundStart + g * POW_CHUNK;
                long to = Math.min(in.end(), from + POW_CHUNK);
                return from >= to ? null : gpus.get(g).pow(header, from, to - from, target);
              });
      for (CudaDevice.PowSearch r : round) {
        if (r == null) {
          continue;
        }
        if (r.winner() >= 0) {
          return PowOutput.found(r.winner(), Bytes.wrap(PowKind.doubleHash(header, r.winner())));
        }
        if (r.bestNonce() >= 0) {
          byte[] hash = reverse(r.bestKey());
          if (bestHash == null || lessLe(hash, bestHash)) {
            bestHash = hash;
            bestNonce = r.bestNonce();
          }
        }
      }
      next = Math.min(in.end(), roundStart + gpus.size() * POW_CHUNK);
      if (next < in.end() && in.reportBest()) {
        context.saveCheckpoint(
            PowKind.checkpoint(
                next, bestHash == null ? null : PowOutput.best(bestNonce, Bytes.of(bestHash))));
      }
    }
    return !in.reportBest() || bestHash == null
        ? PowOutput.NONE
        : PowOutput.best(bestNonce, Bytes.wrap(bestHash));
  }

  /** a &lt; b, both hashes in digest byte order read as little-endian numbers. */
  private static boolean lessLe(byte[] a, byte[] b) {
    for (int i = 31; i >= 0; i--) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c < 0;
      }
    }
    return false;
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static int[] words(byte[] be) {
    int[] w = new int[be.length / 4];
    for (int i = 0; i < w.length; i++) {
      w[i] = Midstate.beWord(be, 4 * i);
    }
    return w;
  }

  private List<ModExpOutput> modexp(List<ModExpInput> inputs) {
    List<ModExpOp> ops = new ArrayList<>();
    for (ModExpInput in : inputs) {
      ops.addAll(in.ops());
    }
    // Group by operand size (whole 256-bit steps), so small moduli are not padded to the largest.
    Map<Integer, List<Integer>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      ModExpOp op = ops.get(i);
      int bits = Math.max(op.modulus().bitLength(), op.exponent().bitLength());
      int limbs = Math.max(8, (bits + 255) / 256 * 8);
      bySize.computeIfAbsent(limbs, k -> new ArrayList<>()).add(i);
    }
    BigInteger[] results = new BigInteger[ops.size()];
    for (Map.Entry<Integer, List<Integer>> group : bySize.entrySet()) {
      int limbs = group.getKey();
      List<Integer> idx = group.getValue();
      int n = gpus.size();
      int per = (idx.size() + n - 1) / n;
      spread(
          n,
          g -> {
            int from = Math.min(idx.size(), g * per);
            int to = Math.min(idx.size(), from + per);
            if (from == to) {
              return null;
            }
            int count = to - from;
            BigInteger[] b = new BigInteger[count];
            BigInteger[] e = new BigInteger[count];
            BigInteger[] m = new BigInteger[count];
            for (int k = 0; k < count; k++) {
              ModExpOp op = ops.get(idx.get(from + k));
              b[k] = op.base();
              e[k] = op.exponent();
              m[k] = op.modulus();
            }
            BigInteger[] r = gpus.get(g).modexp(b, e, m, limbs);
            for (int k = 0; k < count; k++) {
              results[idx.get(from + k)] = r[k];
            }
            return null;
          });
    }
    List<ModExpOutput> out = new ArrayList<>(inputs.size());
    int at = 0;
    for (ModExpInput in : inputs) {
      out.add(new ModExpOutput(Arrays.asList(results).subList(at, at + in.ops().size())));
      at += in.ops().size();
    }
    return out;
  }

  private List<RenderOutput> render(List<RenderInput> inputs, ExecutionContext context) {
    List<RenderOutput> out = new ArrayList<>(inputs.size());
    for (RenderInput in : inputs) {
      double[] rgb = new double[3 * in.pixels()];
      int rowsPerChunk = Math.max(1, RENDER_CHUNK_PIXELS / in.width());
      int chunks = (in.height() + rowsPerChunk - 1) / rowsPerChunk;
      for (int c = 0; c < chunks; c += gpus.size()) {
        if (context.cancelled()) {
          throw new PoolException(ErrorCode.CANCELLED, "render cancelled");
        }
        int base = c;
        spread(
            gpus.size(),
            g -> {
              int chunk = base + g;
              int row = chunk * rowsPerChunk;
              if (chunk >= chunks || row >= in.height()) {
                return null;
              }
              int rows = Math.min(rowsPerChunk, in.height() - row);
              gpus.get(g)
                  .render(
                      in.seed(),
                      in.frameWidth(),
                      in.frameHeight(),
                      in.x(),
                      in.y(),
                      in.width(),
                      in.spp(),
                      row * in.width(),
                      rows * in.width(),
                      rgb);
              return null;
            });
      }
      out.add(RenderOutput.of(in.width(), in.height(), in.format(), rgb));
    }
    return out;
  }

  @Override
  public void close() {
    for (CudaDevice d : gpus) {
      d.close();
    }
  }
}
