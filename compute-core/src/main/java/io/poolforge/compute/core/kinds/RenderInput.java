package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.PoolException;

/**
 * The input of the {@code render} kind: one rectangular tile of a frame of the built-in scene, path
 * traced at {@code spp} samples per pixel. Each pixel's random numbers depend only on the seed and
 * the pixel's position in the frame, so tiles merge into exactly the frame rendered whole.
 *
 * <p>Immutable and thread-safe.
 *
 * @param frameWidth the frame width, 1 to {@value #MAX_FRAME_SIDE}
 * @param frameHeight the frame height, 1 to {@value #MAX_FRAME_SIDE}
 * @param x the tile's left column, from 0
 * @param y the tile's top row, from 0 (rows run top to bottom)
 * @param width the tile width, at least 1, with {@code x + width <= frameWidth}
 * @param height the tile height, at least 1, with {@code y + height <= frameHeight}; at most
 *     {@value #MAX_TILE_PIXELS} pixels per tile
 * @param spp samples per pixel, 1 to {@value #MAX_SPP}
 * @param seed the frame's random seed
 * @param format the pixel format of the output
 * @since 0.1.0
 */
public record RenderInput(
    int frameWidth,
    int frameHeight,
    int x,
    int y,
    int width,
    int height,
    int spp,
    long seed,
    PixelFormat format) {
  /** The largest frame side. */
  public static final int MAX_FRAME_SIDE = 8192;

  /** The most pixels in one tile (so a FLOAT32 tile is at most 12 MiB). */
  public static final int MAX_TILE_PIXELS = 1 << 20;

  /** The most samples per pixel. */
  public static final int MAX_SPP = 65_536;

  /** The most samples in one tile. */
  public static final long MAX_TILE_SAMPLES = 1L << 34;

  /** Validates the frame, the tile and the sampling. */
  public RenderInput {
    if (frameWidth < 1 || frameWidth > MAX_FRAME_SIDE) {
      throw PoolException.invalidArgument(
          "render.frameWidth", "is " + frameWidth + ", must be in [1, " + MAX_FRAME_SIDE + "]");
    }
    if (frameHeight < 1 || frameHeight > MAX_FRAME_SIDE) {
      throw PoolException.invalidArgument(
          "render.frameHeight", "is " + frameHeight + ", must be in [1, " + MAX_FRAME_SIDE + "]");
    }
    if (width < 1 || height < 1) {
      throw PoolException.invalidArgument(
          "render.tile", "is " + width + "x" + height + ", must be at least 1x1");
    }
    if (x < 0 || y < 0 || x > frameWidth - width || y > frameHeight - height) {
      throw PoolException.invalidArgument(
          "render.tile",
          "["
              + x
              + ", "
              + ((long) x + width)
              + ") x ["
              + y
              + ", "
              + ((long) y + height)
              + ") lies outside the "
              + frameWidth
              + "x"
              + frameHeight
              + " frame");
    }
    if ((long) width * height > MAX_TILE_PIXELS) {
      throw PoolException.invalidArgument(
          "render.tile",
          "has " + (long) width * height + " pixels, the limit is " + MAX_TILE_PIXELS);
    }
    if (spp < 1 || spp > MAX_SPP) {
      throw PoolException.invalidArgument(
          "render.spp", "is " + spp + ", must be in [1, " + MAX_SPP + "]");
    }
    if ((long) width * height * spp > MAX_TILE_SAMPLES) {
      throw PoolException.invalidArgument(
          "render.spp",
          "makes " + (long) width * height * spp + " samples, the limit is " + MAX_TILE_SAMPLES);
    }
    if (format == null) {
      throw PoolException.invalidArgument("render.format", "must not be null");
    }
  }

  /**
   * A whole frame as one task.
   *
   * @param width the frame width
   * @param height the frame height
   * @param spp samples per pixel
   * @param seed the seed
   * @param format the pixel format
   * @return the input
   */
  public static RenderInput frame(int width, int height, int spp, long seed, PixelFormat format) {
    return new RenderInput(width, height, 0, 0, width, height, spp, seed, format);
  }

  /**
   * A tile of the same frame.
   *
   * @param tx the tile's left column
   * @param ty the tile's top row
   * @param tw the tile width
   * @param th the tile height
   * @return the input for that tile
   */
  public RenderInput tile(int tx, int ty, int tw, int th) {
    return new RenderInput(frameWidth, frameHeight, tx, ty, tw, th, spp, seed, format);
  }

  /**
   * The number of pixels in the tile.
   *
   * @return width × height
   */
  public int pixels() {
    return width * height;
  }
}
