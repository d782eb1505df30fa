package io.poolforge.backend.opencl;

/**
 * One tile for {@link RenderKernel}, as the engine takes it; see the kernel for the meaning of the
 * scene and camera arrays. The caller (the task kind) validates ranges; this record checks only
 * what would make the kernel read or write out of bounds.
 *
 * @param spheres {@code 11 * n} doubles, n >= 1
 * @param camera origin xyz, unit direction xyz, field-of-view factor, near distance
 * @param width frame width
 * @param height frame height
 * @param tileX tile's left column
 * @param tileY tile's top row
 * @param tileWidth tile width
 * @param tileHeight tile height
 * @param spp samples per pixel
 * @param seed the task seed
 */
record RenderJob(
    double[] spheres,
    double[] camera,
    int width,
    int height,
    int tileX,
    int tileY,
    int tileWidth,
    int tileHeight,
    int spp,
    long seed) {
  RenderJob {
    if (spheres.length == 0 || spheres.length % RenderKernel.SPHERE_DOUBLES != 0) {
      throw new IllegalArgumentException("spheres must hold 11 doubles per sphere");
    }
    if (camera.length != 8) {
      throw new IllegalArgumentException("camera must hold 8 doubles");
    }
    if (width < 1 || height < 1 || tileWidth < 1 || tileHeight < 1 || tileX < 0 || tileY < 0) {
      throw new IllegalArgumentException("image and tile sizes must be positive");
    }
    if (tileX + tileWidth > width || tileY + tileHeight > height) {
      throw new IllegalArgumentException("tile must lie inside the image");
    }
    if ((long) tileWidth * tileHeight > 1 << 24 || spp < 1) {
      throw new IllegalArgumentException("tile at most 2^24 pixels, spp >= 1");
    }
  }

  int pixels() {
    return tileWidth * tileHeight;
  }
}
