package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
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

  /** The render kind's own scene, as the backend hands it to the kernel. */
  static double[] room() {
    return RenderScene.spheres();
  }

  static double[] camera() {
    return RenderScene.camera();
  }

  @Test
  void matchesJavaReferenceWithinTolerance() {
    RenderJob job = new RenderJob(room(), camera(), 64, 48, 8, 4, 40, 30, 8, 1234);
    double[] got = engine.render(job);
    // The reference is compute-core's tracer of the render kind, pixel by pixel.
    RenderInput frame = RenderInput.frame(64, 48, 8, 1234, PixelFormat.FLOAT32);
    double[] want = new double[3 * 40 * 30];
    for (int i = 0; i < 40 * 30; i++) {
      RenderKind.tracePixel(frame, 8 + i % 40, 4 + i / 40, want, 3 * i);
    }
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
