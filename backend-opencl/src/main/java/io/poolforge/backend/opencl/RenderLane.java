package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.RenderOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code render} kind on {@link RenderEngine}. A tile is rendered in bands of rows of at most
 * {@link #SAMPLES_PER_LAUNCH} samples, so that cancellation is noticed between launches and no
 * launch runs long enough to trip a GPU watchdog. Thread-safe; blocks.
 */
final class RenderLane implements Lane {
  static final long SAMPLES_PER_LAUNCH = 1L << 22;

  private final RenderEngine engine;
  private final double[] spheres = RenderScene.spheres();
  private final double[] camera = RenderScene.camera();

  RenderLane(OpenCLDevice device) {
    this.engine = new RenderEngine(device);
  }

  @Override
  public String kindId() {
    return RenderKind.ID;
  }

  @Override
  public DeviceKernel<?> kernel() {
    return engine.kernel();
  }

  @Override
  public boolean accepts(TaskKind<?, ?> kind) {
    return kind instanceof RenderKind;
  }

  @Override
  public List<Object> run(List<?> inputs, ExecutionContext context) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (Object o : inputs) {
      RenderInput in = (RenderInput) o;
      double[] rgb = new double[3 * in.pixels()];
      long perRow = (long) in.width() * in.spp();
      int band = (int) Math.max(1, Math.min(in.height(), SAMPLES_PER_LAUNCH / perRow));
      for (int row = 0; row < in.height(); row += band) {
        if (context.cancelled()) {
          throw Lanes.cancelled(kindId());
        }
        int rows = Math.min(band, in.height() - row);
        RenderJob job =
            new RenderJob(
                spheres,
                camera,
                in.frameWidth(),
                in.frameHeight(),
                in.x(),
                in.y() + row,
                in.width(),
                rows,
                in.spp(),
                in.seed());
        double[] part = engine.render(job);
        System.arraycopy(part, 0, rgb, 3 * row * in.width(), part.length);
      }
      out.add(RenderOutput.of(in.width(), in.height(), in.format(), rgb));
    }
    return out;
  }

  @Override
  public void selfTest() {
    RenderInput in = new RenderInput(40, 30, 17, 11, 4, 3, 3, 7, PixelFormat.FLOAT32);
    RenderOutput got = (RenderOutput) run(List.of(in), ExecutionContext.NONE).get(0);
    RenderOutput want = RenderKind.render(in);
    if (!BuiltinKinds.render().equivalent(got, want)) {
      throw new IllegalStateException(
          "the render kernel's tile is not within "
              + RenderKind.EQUIVALENCE_PSNR_DB
              + " dB PSNR of the reference tracer");
    }
  }

  @Override
  public void close() {
    engine.close();
  }
}
