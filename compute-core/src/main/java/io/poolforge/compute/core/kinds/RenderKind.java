package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@code render} kind: tiles of a deterministic path-traced scene (a small room of spheres with
 * diffuse, mirror and glass materials and a spherical light) at a given number of samples per
 * pixel. Every pixel's random numbers derive from the frame seed and the pixel's frame position, so
 * tiles merge into exactly the frame rendered whole, and every backend can reproduce any pixel.
 *
 * <p>Equivalence: outputs are not bit-exact across backends (floating point, fused multiply-add,
 * transcendental functions, and paths that branch differently), so two tiles of the same size count
 * as the same answer when the PSNR of their display values (radiance clamped to [0, 1], gamma
 * 1/2.2) is at least {@value #EQUIVALENCE_PSNR_DB} dB and neither holds NaN or infinity. The pixel
 * formats may differ.
 *
 * <p>Cost: {@value #UNITS_PER_SAMPLE} units per pixel sample. Cheap check: wrong dimensions or
 * non-finite values refute; {@value #SAMPLES} pixels, chosen deterministically from the task, are
 * recomputed with the reference; a sample PSNR below {@value #REFUTE_PSNR_DB} dB refutes (a loose
 * bound, since one divergent path can move a low-spp pixel a lot), a tile that small enough to be
 * recomputed entirely is judged by the equivalence rule, and otherwise the verdict is {@code
 * UNCHECKED}.
 *
 * <p>Splits a tile (such as a whole frame) into a row-major grid of tiles and merges them back.
 *
 * <p>Immutable and thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class RenderKind implements TaskKind<RenderInput, RenderOutput> {
  /** The kind id. */
  public static final String ID = "render";

  /** Cost units per pixel sample. */
  public static final long UNITS_PER_SAMPLE = 8;

  /** The PSNR at or above which two tiles are equivalent. */
  public static final double EQUIVALENCE_PSNR_DB = 40.0;

  /** The sample PSNR below which the cheap check refutes. */
  public static final double REFUTE_PSNR_DB = 15.0;

  /** How many pixels the cheap check recomputes. */
  public static final int SAMPLES = 8;

  static final RenderKind INSTANCE = new RenderKind();

  private static final Codec<RenderInput> INPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(RenderInput v) {
          return new Wire.Writer(40)
              .u32(v.frameWidth())
              .u32(v.frameHeight())
              .u32(v.x())
              .u32(v.y())
              .u32(v.width())
              .u32(v.height())
              .u32(v.spp())
              .i64(v.seed())
              .u8(v.format().ordinal())
              .done();
        }

        @Override
        public RenderInput decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          int fw = r.count("render.frameWidth", 1, RenderInput.MAX_FRAME_SIDE);
          int fh = r.count("render.frameHeight", 1, RenderInput.MAX_FRAME_SIDE);
          int x = r.count("render.x", 0, RenderInput.MAX_FRAME_SIDE);
          int y = r.count("render.y", 0, RenderInput.MAX_FRAME_SIDE);
          int w = r.count("render.width", 1, RenderInput.MAX_FRAME_SIDE);
          int h = r.count("render.height", 1, RenderInput.MAX_FRAME_SIDE);
          int spp = r.count("render.spp", 1, RenderInput.MAX_SPP);
          long seed = r.i64("render.seed");
          PixelFormat format = format(r.u8("render.format"));
          r.end();
          return new RenderInput(fw, fh, x, y, w, h, spp, seed, format);
        }
      };

  private static final Codec<RenderOutput> OUTPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(RenderOutput v) {
          return new Wire.Writer(16 + v.pixels().size())
              .u32(v.width())
              .u32(v.height())
              .u8(v.format().ordinal())
              .raw(v.pixels())
              .done();
        }

        @Override
        public RenderOutput decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          int w = r.count("render.output.width", 1, RenderInput.MAX_FRAME_SIDE);
          int h = r.count("render.output.height", 1, RenderInput.MAX_FRAME_SIDE);
          PixelFormat format = format(r.u8("render.output.format"));
          long size = (long) w * h * format.bytesPerPixel();
          if ((long) w * h > RenderInput.MAX_TILE_PIXELS) {
            throw PoolException.invalidArgument(
                "render.output",
                "has " + (long) w * h + " pixels, the limit is " + RenderInput.MAX_TILE_PIXELS);
          }
          Bytes pixels = r.raw("render.output.pixels", (int) size);
          r.end();
          return new RenderOutput(w, h, format, pixels);
        }
      };

  private static final Splitter<RenderInput, RenderOutput> SPLITTER =
      new Splitter<>() {
        @Override
        public List<RenderInput> split(RenderInput in, int maxChunks) {
          if (maxChunks < 1) {
            throw PoolException.invalidArgument("maxChunks", "is " + maxChunks + ", must be >= 1");
          }
          int bestRows = 1;
          int bestCols = 1;
          double bestAspect = Double.MAX_VALUE;
          for (int rows = 1; rows <= Math.min(in.height(), maxChunks); rows++) {
            int cols = Math.min(in.width(), maxChunks / rows);
            double tileAspect = ((double) in.width() / cols) / ((double) in.height() / rows);
            double skew = Math.abs(Math.log(tileAspect));
            int product = rows * cols;
            if (product > bestRows * bestCols
                || (product == bestRows * bestCols && skew < bestAspect)) {
              bestRows = rows;
              bestCols = cols;
              bestAspect = skew;
            }
          }
          List<RenderInput> tiles = new ArrayList<>(bestRows * bestCols);
          for (int r = 0; r < bestRows; r++) {
            int y0 = in.y() + (int) ((long) in.height() * r / bestRows);
            int y1 = in.y() + (int) ((long) in.height() * (r + 1) / bestRows);
            for (int c = 0; c < bestCols; c++) {
              int x0 = in.x() + (int) ((long) in.width() * c / bestCols);
              int x1 = in.x() + (int) ((long) in.width() * (c + 1) / bestCols);
              tiles.add(in.tile(x0, y0, x1 - x0, y1 - y0));
            }
          }
          return tiles;
        }

        @Override
        public RenderOutput merge(RenderInput in, List<RenderOutput> parts) {
          int bpp = in.format().bytesPerPixel();
          byte[] out = new byte[in.pixels() * bpp];
          int x = 0;
          int y = 0;
          int rowHeight = -1;
          for (int i = 0; i < parts.size(); i++) {
            RenderOutput p = parts.get(i);
            String field = "parts[" + i + "]";
            if (p.format() != in.format()) {
              throw PoolException.invalidArgument(
                  field, "is " + p.format() + ", the frame is " + in.format());
            }
            if (x == 0) {
              rowHeight = p.height();
            }
            if (p.height() != rowHeight
                || x + p.width() > in.width()
                || y + p.height() > in.height()) {
              throw PoolException.invalidArgument(
                  field,
                  p.width()
                      + "x"
                      + p.height()
                      + " at ("
                      + x
                      + ", "
                      + y
                      + ") does not fit the row-major tiling of the "
                      + in.width()
                      + "x"
                      + in.height()
                      + " input");
            }
            byte[] src = p.pixels().toByteArray();
            for (int row = 0; row < p.height(); row++) {
              System.arraycopy(
                  src,
                  row * p.width() * bpp,
                  out,
                  ((y + row) * in.width() + x) * bpp,
                  p.width() * bpp);
            }
            x += p.width();
            if (x == in.width()) {
              x = 0;
              y += rowHeight;
            }
          }
          if (y != in.height() || x != 0) {
            throw PoolException.invalidArgument(
                "parts", "cover the input only up to (" + x + ", " + y + "), not all of it");
          }
          return new RenderOutput(in.width(), in.height(), in.format(), Bytes.wrap(out));
        }
      };

  private RenderKind() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Codec<RenderInput> inputCodec() {
    return INPUT_CODEC;
  }

  @Override
  public Codec<RenderOutput> outputCodec() {
    return OUTPUT_CODEC;
  }

  /** Inputs are checked when built; this re-checks a non-null input. */
  @Override
  public void validate(RenderInput input) {
    if (input == null) {
      throw PoolException.invalidArgument("render.input", "must not be null");
    }
  }

  @Override
  public long costUnits(RenderInput input) {
    return UNITS_PER_SAMPLE * input.pixels() * input.spp();
  }

  @Override
  public boolean exactOutputs() {
    return false;
  }

  @Override
  public boolean equivalent(RenderOutput a, RenderOutput b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      return false;
    }
    double sum = 0;
    for (int i = 0; i < a.channels(); i++) {
      double d = a.displayValue(i) - b.displayValue(i);
      if (Double.isNaN(d)) {
        return false;
      }
      sum += d * d;
    }
    return psnr(sum / a.channels()) >= EQUIVALENCE_PSNR_DB;
  }

  /**
   * The peak signal-to-noise ratio of display values with this mean squared error.
   *
   * @param mse the mean squared error of values in [0, 1]
   * @return the PSNR in dB, infinite for 0
   */
  public static double psnr(double mse) {
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
  }

  @Override
  public Verdict cheapCheck(RenderInput input, RenderOutput output) {
    if (output.width() != input.width()
        || output.height() != input.height()
        || output.format() != input.format()) {
      return Verdict.REFUTED;
    }
    for (int i = 0; i < output.channels(); i++) {
      if (!Double.isFinite(output.raw(i))) {
        return Verdict.REFUTED;
      }
    }
    long seed = Sampling.mix(input.seed() ^ ((long) input.x() << 32 | input.y()));
    seed = Sampling.mix(seed ^ output.pixels().hashCode());
    int[] picks = Sampling.indices(seed, input.pixels(), SAMPLES);
    double[] ref = new double[3];
    double sum = 0;
    for (int p : picks) {
      tracePixel(input, input.x() + p % input.width(), input.y() + p / input.width(), ref, 0);
      for (int c = 0; c < 3; c++) {
        double d = RenderOutput.display(ref[c]) - output.displayValue(p * 3 + c);
        sum += d * d;
      }
    }
    double samplePsnr = psnr(sum / (picks.length * 3.0));
    if (picks.length == input.pixels()) {
      return samplePsnr >= EQUIVALENCE_PSNR_DB ? Verdict.CONFIRMED : Verdict.REFUTED;
    }
    return samplePsnr < REFUTE_PSNR_DB ? Verdict.REFUTED : Verdict.UNCHECKED;
  }

  @Override
  public Optional<Splitter<RenderInput, RenderOutput>> splitter() {
    return Optional.of(SPLITTER);
  }

  /**
   * The reference for one pixel: its mean linear radiance.
   *
   * @param input the task (frame size, spp, seed)
   * @param frameX the pixel's column in the frame
   * @param frameY the pixel's row in the frame, 0 at the top
   * @param out receives R, G, B at {@code off}
   * @param off where in {@code out}
   */
  public static void tracePixel(RenderInput input, int frameX, int frameY, double[] out, int off) {
    PathTracer.pixel(
        input.seed(),
        input.frameWidth(),
        input.frameHeight(),
        frameX,
        frameY,
        input.spp(),
        out,
        off);
  }

  /**
   * The reference for some rows of a tile: fills linear RGB for tile rows [{@code fromRow}, {@code
   * toRow}) into {@code rgb}, which covers the whole tile.
   *
   * @param input the tile
   * @param fromRow the first tile row
   * @param toRow one past the last tile row
   * @param rgb width × height × 3 values
   * @param cancelled polled once per row
   * @throws PoolException CANCELLED when {@code cancelled} turns true
   */
  public static void renderRows(
      RenderInput input, int fromRow, int toRow, double[] rgb, BooleanSupplier cancelled) {
    for (int row = fromRow; row < toRow; row++) {
      if (cancelled.getAsBoolean()) {
        throw new PoolException(ErrorCode.CANCELLED, "render cancelled at tile row " + row);
      }
      for (int col = 0; col < input.width(); col++) {
        tracePixel(input, input.x() + col, input.y() + row, rgb, (row * input.width() + col) * 3);
      }
    }
  }

  /**
   * The reference for a whole tile, sequential on the calling thread.
   *
   * @param input the tile
   * @return its pixels
   */
  public static RenderOutput render(RenderInput input) {
    double[] rgb = new double[input.pixels() * 3];
    renderRows(input, 0, input.height(), rgb, () -> false);
    return RenderOutput.of(input.width(), input.height(), input.format(), rgb);
  }

  private static PixelFormat format(int ordinal) {
    PixelFormat[] all = PixelFormat.values();
    if (ordinal >= all.length) {
      throw PoolException.invalidArgument(
          "render.format", "is " + ordinal + ", must be 0 (FLOAT32) or 1 (UNORM16)");
    }
    return all[ordinal];
  }

  @Override
  public String toString() {
    return "TaskKind[" + ID + "]";
  }
}
