package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A long pow search saves checkpoints, and a new attempt resumes from one to the same answer. */
class PowCheckpointTest {
  @Test
  void resumesFromASavedCheckpointToTheSameOutput() {
    OpenCLDevice device = TestDevices.best();
    Map<String, Function<OpenCLDevice, Lane>> lanes = new LinkedHashMap<>();
    lanes.put(PowKind.ID, d -> new PowLane(d, 0)); // checkpoint after every launch
    try (OpenClBackend backend = new OpenClBackend(device, lanes)) {
      byte[] header = new byte[80];
      new SplittableRandom(8).nextBytes(header);
      byte[] hard = new byte[32];
      hard[31] = 1;
      PowEngine engine = new PowEngine(device);
      long launch = engine.noncesPerLaunch();
      engine.close();
      PowInput in =
          new PowInput(
              Bytes.wrap(header), 1000, 1000 + 3 * launch + 17, Bytes.wrap(hard), true, null);
      List<Bytes> saved = new ArrayList<>();
      PowOutput whole =
          backend.execute(BuiltinKinds.pow(), List.of(in), context(null, saved)).get(0);
      assertThat(whole).isEqualTo(PowKind.search(in, () -> false));
      assertThat(saved).hasSize(3);

      PowOutput resumed =
          backend
              .execute(BuiltinKinds.pow(), List.of(in), context(saved.get(1), new ArrayList<>()))
              .get(0);
      assertThat(resumed).isEqualTo(whole);
    }
  }

  private static ExecutionContext context(Bytes checkpoint, List<Bytes> saved) {
    return new ExecutionContext() {
      @Override
      public Optional<Bytes> checkpoint() {
        return Optional.ofNullable(checkpoint);
      }

      @Override
      public void saveCheckpoint(Bytes state) {
        saved.add(state);
      }

      @Override
      public boolean cancelled() {
        return false;
      }
    };
  }
}
