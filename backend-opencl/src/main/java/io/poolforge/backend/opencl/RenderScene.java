package io.poolforge.backend.opencl;

/**
 * The {@code render} kind's built-in scene and camera in the layout {@link RenderKernel} reads.
 * They must stay equal to compute-core's reference tracer; the cross-check tests and the backend's
 * self-test compare the two.
 */
final class RenderScene {
  private RenderScene() {}

  private static final double[][] SPHERES = {
    {1e5, 1e5 + 1, 40.8, 81.6, 0, 0, 0, .70, .22, .20, 0}, // left wall
    {1e5, -1e5 + 99, 40.8, 81.6, 0, 0, 0, .20, .35, .70, 0}, // right wall
    {1e5, 50, 40.8, 1e5, 0, 0, 0, .72, .72, .72, 0}, // back wall
    {1e5, 50, 40.8, -1e5 + 170, 0, 0, 0, 0, 0, 0, 0}, // front wall
    {1e5, 50, 1e5, 81.6, 0, 0, 0, .72, .72, .72, 0}, // floor
    {1e5, 50, -1e5 + 81.6, 81.6, 0, 0, 0, .72, .72, .72, 0}, // ceiling
    {15, 28, 15, 52, 0, 0, 0, .98, .98, .98, 1}, // mirror ball
    {15, 71, 15, 86, 0, 0, 0, .98, .98, .98, 2}, // glass ball
    {8, 47, 8, 112, 0, 0, 0, .25, .70, .30, 0}, // green ball
    {600, 50, 681.6 - .6, 81.6, 9, 9, 9, 0, 0, 0, 0}, // light
  };

  /** The spheres, {@link RenderKernel#SPHERE_DOUBLES} each. */
  static double[] spheres() {
    double[] flat = new double[SPHERES.length * RenderKernel.SPHERE_DOUBLES];
    for (int i = 0; i < SPHERES.length; i++) {
      System.arraycopy(
          SPHERES[i], 0, flat, i * RenderKernel.SPHERE_DOUBLES, RenderKernel.SPHERE_DOUBLES);
    }
    return flat;
  }

  /** Origin xyz, unit direction xyz, field-of-view factor, near distance. */
  static double[] camera() {
    double l = Math.sqrt(0.045 * 0.045 + 1);
    return new double[] {50, 51, 292, 0, -0.045 / l, -1 / l, 0.5135, 130};
  }
}
