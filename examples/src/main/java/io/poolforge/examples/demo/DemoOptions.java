package io.poolforge.examples.demo;

import io.poolforge.compute.api.PoolException;
import java.nio.file.Path;

/**
 * The size of a demo run.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hashTasks sha256 tasks, 1 to 1,000,000
 * @param powTasks proof-of-work ranges, 1 to 100,000
 * @param rsaTasks RSA-2048 signing tasks, 1 to 100,000
 * @param width the frame width, 8 to 8192
 * @param height the frame height, 8 to 8192
 * @param spp samples per pixel, 1 to 65,536
 * @param tile the render tile side, 4 to 1024
 * @param workers in-process CPU workers, 1 to 64
 * @param cheaters extra in-process workers that forge their SHA-256 answers, 0 to 8
 * @param seed the seed of every random input
 * @param outputDir where frame.png is written
 * @since 0.1.0
 */
public record DemoOptions(
    int hashTasks,
    int powTasks,
    int rsaTasks,
    int width,
    int height,
    int spp,
    int tile,
    int workers,
    int cheaters,
    long seed,
    Path outputDir) {
  /** Validates the ranges. */
  public DemoOptions {
    check("--tasks", hashTasks, 1, 1_000_000);
    check("--pow", powTasks, 1, 100_000);
    check("--rsa", rsaTasks, 1, 100_000);
    check("--width", width, 8, 8192);
    check("--height", height, 8, 8192);
    check("--spp", spp, 1, 65_536);
    check("--tile", tile, 4, 1024);
    check("--workers", workers, 1, 64);
    check("--cheaters", cheaters, 0, 8);
    if (outputDir == null) {
      throw PoolException.invalidArgument("--output", "must not be null");
    }
  }

  private static void check(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw PoolException.invalidArgument(
          field, "is " + value + ", must be in [" + min + ", " + max + "]");
    }
  }
}
