package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RenderEngineTest {
  private static RenderEngine engine;

  @BeforeAll
  static void start() {
    engine = new RenderEngine(TestDevices.best());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  /** A closed room of large spheres with a mirror, a glass and a diffuse ball, and a light. */
  static double[] room() {
    double[][] s = {
      {1e5, 1e5 + 1, 40.8, 81.6, 0, 0, 0, .70, .22, .20, 0},
      {1e5, -1e5 + 99, 40.8, 81.6, 0, 0, 0, .20, .35, .70, 0},
      {1e5, 50, 40.8, 1e5, 0, 0, 0, .72, .72, .72, 0},
      {1e5, 50, 40.8, -1e5 + 170, 0, 0, 0, 0, 0, 0, 0},
      {1e5, 50, 1e5, 81.6, 0, 0, 0, .72, .72, .72, 0},
      {1e5, 50, -1e5 + 81.6, 81.6, 0, 0, 0, .72, .72, .72, 0},
      {15, 28, 15, 52, 0, 0, 0, .98, .98, .98, 1},
      {15, 71, 15, 86, 0, 0, 0, .98, .98, .98, 2},
      {8, 47, 8, 112, 0, 0, 0, .25, .70, .30, 0},
      {600, 50, 681.6 - .27, 81.6, 12, 12, 12, 0, 0, 0, 0},
    };
    double[] flat = new double[s.length * RenderKernel.SPHERE_DOUBLES];
    for (int i = 0; i < s.length; i++) {
      System.arraycopy(s[i], 0, flat, i * RenderKernel.SPHERE_DOUBLES, RenderKernel.SPHERE_DOUBLES);
    }
    return flat;
  }

  static double[] camera() {
    double l = Math.sqrt(0.045 * 0.045 + 1);
    return new double[] {50, 51, 292, 0, -0.045 / l, -1 / l, 0.5135, 130};
  }

  @Test
  void matchesJavaReferenceWithinTolerance() {
    RenderJob job = new RenderJob(room(), camera(), 64, 48, 8, 4, 40, 30, 8, 1234);
    double[] got = engine.render(job);
    double[] want = RenderReference.of(job).renderTile();
    assertThat(got).hasSize(want.length);
    double sum = 0;
    double diff = 0;
    int far = 0;
    for (int i = 0; i < got.length; i++) {
      assertThat(Double.isFinite(got[i])).isTrue();
      sum += Math.abs(want[i]);
      diff += Math.abs(got[i] - want[i]);
      if (Math.abs(got[i] - want[i]) > 1e-9 * Math.max(1, Math.abs(want[i]))) {
        far++;
      }
    }
    assertThat(sum / want.length).as("mean radiance").isGreaterThan(0.05);
    // The same paths up to float rounding: a tiny mean error and few pixels that took another path.
    assertThat(diff / sum).as("relative mean error").isLessThan(1e-6);
    assertThat(far).as("channels differing beyond rounding").isLessThan(got.length / 20);
  }

  @Test
  void aPixelDoesNotDependOnItsTile() {
    RenderJob whole = new RenderJob(room(), camera(), 32, 24, 0, 0, 32, 24, 4, 99);
    RenderJob part = new RenderJob(room(), camera(), 32, 24, 10, 5, 7, 9, 4, 99);
    double[] all = engine.render(whole);
    double[] tile = engine.render(part);
    for (int y = 0; y < 9; y++) {
      for (int x = 0; x < 7; x++) {
        int a = 3 * ((y + 5) * 32 + (x + 10));
        int t = 3 * (y * 7 + x);
        assertThat(Arrays.copyOfRange(tile, t, t + 3)).isEqualTo(Arrays.copyOfRange(all, a, a + 3));
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentNoise() {
    double[] a = engine.render(new RenderJob(room(), camera(), 16, 12, 0, 0, 16, 12, 2, 1));
    double[] b = engine.render(new RenderJob(room(), camera(), 16, 12, 0, 0, 16, 12, 2, 2));
    assertThat(a).isNotEqualTo(b);
  }
}
