package io.poolforge.compute.core.kinds;

/**
 * How a rendered tile stores its pixels: three channels (R, G, B) per pixel, rows top to bottom,
 * big-endian.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum PixelFormat {
  /** Linear radiance as IEEE 754 single-precision floats, unclamped: 12 bytes per pixel. */
  FLOAT32(4),
  /**
   * Display values: radiance clamped to [0, 1], gamma 1/2.2, scaled to 0-65535: 6 bytes a pixel.
   */
  UNORM16(2);

  private final int bytesPerChannel;

  PixelFormat(int bytesPerChannel) {
    this.bytesPerChannel = bytesPerChannel;
  }

  /**
   * The size of one channel.
   *
   * @return 4 or 2 bytes
   */
  public int bytesPerChannel() {
    return bytesPerChannel;
  }

  /**
   * The size of one pixel.
   *
   * @return 12 or 6 bytes
   */
  public int bytesPerPixel() {
    return 3 * bytesPerChannel;
  }
}
