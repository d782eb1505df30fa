package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import java.util.Arrays;

/**
 * Renders tiles with {@link RenderKernel}, one launch per tile, reusing the kernel and its buffers.
 *
 * <p>Thread-safe: launches are serialized. Blocks while the device works.
 */
final class RenderEngine implements AutoCloseable {
  private final DeviceKernel<RenderKernel> dk;

  RenderEngine(OpenCLDevice device) {
    this.dk = new DeviceKernel<>(new RenderKernel(), device, "render");
  }

  DeviceKernel<?> kernel() {
    return dk;
  }

  /**
   * Renders a tile.
   *
   * @return the tile's mean radiance, {@code 3 * tileWidth * tileHeight} doubles, rgb row-major
   */
  synchronized double[] render(RenderJob job) {
    RenderKernel k = dk.kernel();
    int pixels = job.pixels();
    if (k.rgb.length < 3 * dk.padded(pixels)) {
      k.rgb = new double[3 * Math.max(dk.padded(pixels), k.rgb.length / 3 * 2)];
    }
    if (k.spheres.length < job.spheres().length) {
      k.spheres = new double[job.spheres().length];
    }
    System.arraycopy(job.spheres(), 0, k.spheres, 0, job.spheres().length);
    System.arraycopy(job.camera(), 0, k.camera, 0, 8);
    k.sphereCount = job.spheres().length / RenderKernel.SPHERE_DOUBLES;
    k.frameWidth = job.width();
    k.frameHeight = job.height();
    k.tileX = job.tileX();
    k.tileY = job.tileY();
    k.tileWidth = job.tileWidth();
    k.tileHeight = job.tileHeight();
    k.spp = job.spp();
    k.seed = job.seed();
    k.put(k.spheres).put(k.camera);
    dk.launch(pixels);
    k.get(k.rgb);
    return Arrays.copyOf(k.rgb, 3 * pixels);
  }

  @Override
  public synchronized void close() {
    dk.close();
  }
}
