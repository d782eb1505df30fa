package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pow} kind: Bitcoin-style proof-of-work nonce search (double SHA-256 of an 80-byte
 * header, nonce little-endian at offset 76, hash read as a little-endian 256-bit number and
 * compared with the target). The output is the lowest nonce of the range that meets the target;
 * failing that, with {@link PowInput#reportBest()}, the nonce with the lowest hash; otherwise none.
 * The answer is unique, so every correct backend returns the same bytes.
 *
 * <p>Cost: three units (three compression blocks) per nonce of the range. Cheap check: one double
 * hash re-checks a claimed nonce; a valid FOUND is {@code CONFIRMED} (that it is the lowest such
 * nonce is not checked), a wrong hash or a BEST that would meet the target is {@code REFUTED}, and
 * a correct BEST stays {@code UNCHECKED} since being the minimum cannot be checked cheaply.
 *
 * <p>Splits into sub-ranges; resumes from a checkpoint holding the next nonce and the best so far
 * ({@link #checkpoint}).
 *
 * <p>Immutable and thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class PowKind implements TaskKind<PowInput, PowOutput> {
  /** The kind id. */
  public static final String ID = "pow";

  /** Cost units per nonce: two blocks for the 80-byte header, one for the second hash. */
  public static final long UNITS_PER_NONCE = 3;

  static final PowKind INSTANCE = new PowKind();

  private static final int CANCEL_POLL_MASK = (1 << 14) - 1;

  private static final Codec<PowInput> INPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(PowInput v) {
          Wire.Writer w =
              new Wire.Writer(140)
                  .raw(v.header())
                  .i64(v.start())
                  .i64(v.end())
                  .raw(v.target())
                  .u8(v.reportBest() ? 1 : 0);
          writeOutput(w, v.carried());
          return w.done();
        }

        @Override
        public PowInput decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          Bytes header = r.raw("pow.header", PowInput.HEADER_BYTES);
          long start = r.i64("pow.start");
          long end = r.i64("pow.end");
          Bytes target = r.raw("pow.target", PowInput.TARGET_BYTES);
          boolean reportBest = flag(r, "pow.reportBest");
          PowOutput carried = readOutput(r, "pow.carried");
          r.end();
          return new PowInput(header, start, end, target, reportBest, carried);
        }
      };

  private static final Codec<PowOutput> OUTPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(PowOutput v) {
          Wire.Writer w = new Wire.Writer(48);
          writeOutput(w, v);
          return w.done();
        }

        @Override
        public PowOutput decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          PowOutput out = readOutput(r, "pow.output");
          r.end();
          return out == null ? PowOutput.NONE : out;
        }
      };

  private static final Splitter<PowInput, PowOutput> SPLITTER =
      new Splitter<>() {
        @Override
        public List<PowInput> split(PowInput input, int maxChunks) {
          if (maxChunks < 1) {
            throw PoolException.invalidArgument("maxChunks", "is " + maxChunks + ", must be >= 1");
          }
          int chunks = (int) Math.min(maxChunks, input.length());
          List<PowInput> parts = new ArrayList<>(chunks);
          long base = input.length() / chunks;
          long extra = input.length() % chunks;
          long from = input.start();
          for (int i = 0; i < chunks; i++) {
            long to = from + base + (i < extra ? 1 : 0);
            parts.add(
                new PowInput(
                    input.header(),
                    from,
                    to,
                    input.target(),
                    input.reportBest(),
                    i == 0 ? input.carried() : null));
            from = to;
          }
          return parts;
        }

        @Override
        public PowOutput merge(PowInput input, List<PowOutput> parts) {
          if (parts.isEmpty()) {
            throw PoolException.invalidArgument("parts", "is empty, must hold at least one part");
          }
          PowOutput best = null;
          for (PowOutput p : parts) {
            if (p.outcome() == PowOutput.Outcome.FOUND) {
              return p;
            }
            if (p.outcome() == PowOutput.Outcome.BEST && better(p, best)) {
              best = p;
            }
          }
          return best == null || !input.reportBest() ? PowOutput.NONE : best;
        }
      };

  private static final Resumer<PowInput> RESUMER =
      (input, checkpoint) -> {
        Wire.Reader r = new Wire.Reader(checkpoint, ID);
        long next = r.i64("pow.checkpoint.next");
        PowOutput best = readOutput(r, "pow.checkpoint.best");
        r.end();
        if (next < input.start() || next >= input.end()) {
          throw PoolException.invalidArgument(
              "pow.checkpoint.next",
              "is " + next + ", must be in [" + input.start() + ", " + input.end() + ")");
        }
        if (best != null && best.outcome() != PowOutput.Outcome.BEST) {
          throw PoolException.invalidArgument(
              "pow.checkpoint.best", "is " + best.outcome() + ", must be BEST");
        }
        PowOutput carried = input.carried();
        if (best != null && better(best, carried)) {
          carried = best;
        }
        return new PowInput(
            input.header(),
            next,
            input.end(),
            input.target(),
            input.reportBest(),
            input.reportBest() ? carried : null);
      };

  private PowKind() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Codec<PowInput> inputCodec() {
    return INPUT_CODEC;
  }

  @Override
  public Codec<PowOutput> outputCodec() {
    return OUTPUT_CODEC;
  }

  /** Inputs are checked when built; this re-checks a non-null input. */
  @Override
  public void validate(PowInput input) {
    if (input == null) {
      throw PoolException.invalidArgument("pow.input", "must not be null");
    }
  }

  /**
   * {@value #UNITS_PER_NONCE} units per nonce in the range.
   *
   * @param input a valid input
   * @return the cost units
   */
  @Override
  public long costUnits(PowInput input) {
    return UNITS_PER_NONCE * input.length();
  }

  @Override
  public Verdict cheapCheck(PowInput input, PowOutput output) {
    byte[] target = input.target().toByteArray();
    switch (output.outcome()) {
      case NONE -> {
        return input.reportBest() ? Verdict.REFUTED : Verdict.UNCHECKED;
      }
      case FOUND -> {
        if (output.nonce() < input.start() || output.nonce() >= input.end()) {
          return Verdict.REFUTED;
        }
        byte[] hash = doubleHash(input.header().toByteArray(), output.nonce());
        return Bytes.wrap(hash).equals(output.hash()) && meetsTarget(hash, target)
            ? Verdict.CONFIRMED
            : Verdict.REFUTED;
      }
      case BEST -> {
        if (!input.reportBest()) {
          return Verdict.REFUTED;
        }
        PowOutput carried = input.carried();
        if (carried != null && output.equals(carried)) {
          return Verdict.UNCHECKED;
        }
        if (output.nonce() < input.start() || output.nonce() >= input.end()) {
          return Verdict.REFUTED;
        }
        if (carried != null && better(carried, output)) {
          return Verdict.REFUTED;
        }
        byte[] hash = doubleHash(input.header().toByteArray(), output.nonce());
        return Bytes.wrap(hash).equals(output.hash()) && !meetsTarget(hash, target)
            ? Verdict.UNCHECKED
            : Verdict.REFUTED;
      }
    }
    throw new AssertionError(output.outcome());
  }

  @Override
  public Optional<Splitter<PowInput, PowOutput>> splitter() {
    return Optional.of(SPLITTER);
  }

  @Override
  public Optional<Resumer<PowInput>> resumer() {
    return Optional.of(RESUMER);
  }

  /**
   * Encodes a checkpoint for the {@link #resumer()}: the next nonce to try and the best miss so
   * far.
   *
   * @param next the first nonce not yet searched
   * @param best the best miss so far, or null
   * @return the checkpoint bytes
   */
  public static Bytes checkpoint(long next, @Nullable PowOutput best) {
    Wire.Writer w = new Wire.Writer(48).i64(next);
    writeOutput(w, best);
    return w.done();
  }

  /**
   * The reference search, sequential on the calling thread.
   *
   * @param input the range and target
   * @param cancelled polled every few thousand nonces
   * @return the output
   * @throws PoolException CANCELLED when {@code cancelled} turns true
   */
  public static PowOutput search(PowInput input, BooleanSupplier cancelled) {
    byte[] header = input.header().toByteArray();
    byte[] target = input.target().toByteArray();
    byte[] hash = new byte[32];
    byte[] bestHash = null;
    long bestNonce = -1;
    PowOutput carried = input.carried();
    if (carried != null) {
      bestHash = carried.hash().toByteArray();
      bestNonce = carried.nonce();
    }
    MessageDigest md = Sha256Kind.newDigest();
    for (long nonce = input.start(); nonce < input.end(); nonce++) {
      if ((nonce & CANCEL_POLL_MASK) == 0 && cancelled.getAsBoolean()) {
        throw new PoolException(ErrorCode.CANCELLED, "pow search cancelled at nonce " + nonce);
      }
      doubleHash(md, header, nonce, hash);
      if (meetsTarget(hash, target)) {
        return PowOutput.found(nonce, Bytes.of(hash));
      }
      if (input.reportBest() && (bestHash == null || compareLe(hash, bestHash) < 0)) {
        bestHash = hash.clone();
        bestNonce = nonce;
      }
    }
    return bestHash == null || !input.reportBest()
        ? PowOutput.NONE
        : PowOutput.best(bestNonce, Bytes.wrap(bestHash));
  }

  /**
   * Double SHA-256 of a header with a nonce written at offset 76.
   *
   * @param header80 the 80-byte header (not modified)
   * @param nonce the nonce, in [0, 2^32)
   * @return the 32-byte hash in digest byte order
   */
  public static byte[] doubleHash(byte[] header80, long nonce) {
    byte[] out = new byte[32];
    doubleHash(Sha256Kind.newDigest(), header80.clone(), nonce, out);
    return out;
  }

  /**
   * Double SHA-256 into {@code out}, reusing a digest; writes the nonce into {@code header}.
   *
   * @param md a SHA-256 digest, reset on return
   * @param header the 80-byte header, whose bytes 76-79 are overwritten
   * @param nonce the nonce
   * @param out 32 bytes that receive the hash
   */
  public static void doubleHash(MessageDigest md, byte[] header, long nonce, byte[] out) {
    header[PowInput.NONCE_OFFSET] = (byte) nonce;
    header[PowInput.NONCE_OFFSET + 1] = (byte) (nonce >>> 8);
    header[PowInput.NONCE_OFFSET + 2] = (byte) (nonce >>> 16);
    header[PowInput.NONCE_OFFSET + 3] = (byte) (nonce >>> 24);
    try {
      md.update(header, 0, PowInput.HEADER_BYTES);
      md.digest(out, 0, 32);
      md.update(out, 0, 32);
      md.digest(out, 0, 32);
    } catch (DigestException e) {
      throw new PoolException(ErrorCode.INTERNAL, "SHA-256 digest failed", e);
    }
  }

  /**
   * Whether a hash, read as a little-endian number, is at most the big-endian target.
   *
   * @param hash 32 bytes in digest order
   * @param target 32 big-endian bytes
   * @return true if it meets the target
   */
  public static boolean meetsTarget(byte[] hash, byte[] target) {
    for (int i = 0; i < 32; i++) {
      int h = hash[31 - i] & 0xff;
      int t = target[i] & 0xff;
      if (h != t) {
        return h < t;
      }
    }
    return true;
  }

  /** Compares two hashes as little-endian numbers. */
  static int compareLe(byte[] a, byte[] b) {
    for (int i = 31; i >= 0; i--) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Whether {@code a} is a better miss than {@code b}: lower hash, then lower nonce. */
  static boolean better(PowOutput a, @Nullable PowOutput b) {
    if (b == null || b.outcome() != PowOutput.Outcome.BEST) {
      return true;
    }
    int c = compareLe(a.hash().toByteArray(), b.hash().toByteArray());
    return c < 0 || (c == 0 && a.nonce() < b.nonce());
  }

  private static boolean flag(Wire.Reader r, String field) {
    int v = r.u8(field);
    if (v > 1) {
      throw PoolException.invalidArgument(field, "is " + v + ", must be 0 or 1");
    }
    return v == 1;
  }

  private static void writeOutput(Wire.Writer w, @Nullable PowOutput out) {
    if (out == null || out.outcome() == PowOutput.Outcome.NONE) {
      w.u8(0);
    } else {
      w.u8(out.outcome() == PowOutput.Outcome.FOUND ? 1 : 2).i64(out.nonce()).raw(out.hash());
    }
  }

  private static @Nullable PowOutput readOutput(Wire.Reader r, String field) {
    int tag = r.u8(field + ".outcome");
    return switch (tag) {
      case 0 -> null;
      case 1 -> PowOutput.found(r.i64(field + ".nonce"), r.raw(field + ".hash", 32));
      case 2 -> PowOutput.best(r.i64(field + ".nonce"), r.raw(field + ".hash", 32));
      default ->
          throw PoolException.invalidArgument(
              field + ".outcome", "is " + tag + ", must be 0 (none), 1 (found) or 2 (best)");
    };
  }

  @Override
  public String toString() {
    return "TaskKind[" + ID + "]";
  }
}
