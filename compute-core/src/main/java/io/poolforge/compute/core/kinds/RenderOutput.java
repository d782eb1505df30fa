package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.nio.ByteBuffer;

/**
 * The output of the {@code render} kind: the pixels of one tile.
 *
 * <p>Immutable and thread-safe.
 *
 * @param width the tile width
 * @param height the tile height
 * @param format the pixel format
 * @param pixels width × height × 3 channels in {@code format}, rows top to bottom
 * @since 0.1.0
 */
public record RenderOutput(int width, int height, PixelFormat format, Bytes pixels) {
  /** Validates the size of the pixel data. */
  public RenderOutput {
    if (format == null || pixels == null) {
      throw PoolException.invalidArgument("render.output", "format and pixels must not be null");
    }
    if (width < 1 || height < 1 || (long) width * height > RenderInput.MAX_TILE_PIXELS) {
      throw PoolException.invalidArgument(
          "render.output",
          "is "
              + width
              + "x"
              + height
              + ", must be 1 to "
              + RenderInput.MAX_TILE_PIXELS
              + " pixels");
    }
    long expected = (long) width * height * format.bytesPerPixel();
    if (pixels.size() != expected) {
      throw PoolException.invalidArgument(
          "render.output.pixels",
          "is "
              + pixels.size()
              + " bytes, must be "
              + expected
              + " for "
              + width
              + "x"
              + height
              + " "
              + format);
    }
  }

  /**
   * Encodes linear radiance values into a tile.
   *
   * @param width the tile width
   * @param height the tile height
   * @param format the format
   * @param rgb width × height × 3 linear values, rows top to bottom (not retained)
   * @return the output
   */
  public static RenderOutput of(int width, int height, PixelFormat format, double[] rgb) {
    if (rgb.length != width * height * 3) {
      throw PoolException.invalidArgument(
          "rgb", "has " + rgb.length + " values, must be " + width * height * 3);
    }
    ByteBuffer buf = ByteBuffer.allocate(rgb.length * format.bytesPerChannel());
    for (double v : rgb) {
      if (format == PixelFormat.FLOAT32) {
        buf.putFloat((float) v);
      } else {
        buf.putShort((short) Math.round(display(v) * 65535.0));
      }
    }
    return new RenderOutput(width, height, format, Bytes.wrap(buf.array()));
  }

  /**
   * One channel as stored: linear radiance for FLOAT32, 0-1 display value for UNORM16.
   *
   * @param index the channel index, (row × width + column) × 3 + channel
   * @return the value
   */
  public double raw(int index) {
    if (format == PixelFormat.FLOAT32) {
      int b = index * 4;
      int bits =
          ((pixels.get(b) & 0xff) << 24)
              | ((pixels.get(b + 1) & 0xff) << 16)
              | ((pixels.get(b + 2) & 0xff) << 8)
              | (pixels.get(b + 3) & 0xff);
      return Float.intBitsToFloat(bits);
    }
    int b = index * 2;
    return (((pixels.get(b) & 0xff) << 8) | (pixels.get(b + 1) & 0xff)) / 65535.0;
  }

  /**
   * One channel as a display value in [0, 1] (clamped, gamma 1/2.2): what an image file shows and
   * what {@link RenderKind#equivalent} compares. NaN and infinities map to NaN.
   *
   * @param index the channel index
   * @return the display value
   */
  public double displayValue(int index) {
    double v = raw(index);
    return format == PixelFormat.FLOAT32 ? display(v) : v;
  }

  /**
   * The display value of a linear radiance: clamped to [0, 1], then gamma 1/2.2.
   *
   * @param linear the radiance
   * @return the display value, NaN for NaN or infinite input
   */
  public static double display(double linear) {
    if (!Double.isFinite(linear)) {
      return Double.NaN;
    }
    return StrictMath.pow(Math.min(1.0, Math.max(0.0, linear)), 1 / 2.2);
  }

  /**
   * The number of channel values.
   *
   * @return width × height × 3
   */
  public int channels() {
    return width * height * 3;
  }
}
