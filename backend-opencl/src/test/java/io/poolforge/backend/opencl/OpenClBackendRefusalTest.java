package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A kind whose kernel cannot run on the device is not offered, and never answered from Java. */
class OpenClBackendRefusalTest {
  private static final Sha256Input INPUT = new Sha256Input(List.of(Bytes.of(new byte[] {1, 2, 3})));

  @Test
  void aKernelThatCannotCompileIsNotOffered() {
    OpenCLDevice device = TestDevices.best();
    Map<String, Function<OpenCLDevice, Lane>> lanes = new LinkedHashMap<>();
    lanes.put(
        Sha256Kind.ID,
        d -> {
          new DeviceKernel<>(new DeviceKernelFallbackTest.StringKernel(), d, "sha256");
          throw new AssertionError("the kernel compiled");
        });
    try (OpenClBackend backend = new OpenClBackend(device, lanes)) {
      assertThat(backend.kinds()).doesNotContain(Sha256Kind.ID);
      assertThat(backend.refusals()).containsKey(Sha256Kind.ID);
      assertThat(backend.refusals().get(Sha256Kind.ID)).contains("cannot compile");
      assertThatThrownBy(
              () -> backend.execute(BuiltinKinds.sha256(), List.of(INPUT), ExecutionContext.NONE))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
  }

  @Test
  void aKernelThatLeavesTheDeviceAtRunTimeIsWithdrawn() {
    OpenCLDevice device = TestDevices.best();
    Map<String, Function<OpenCLDevice, Lane>> lanes = new LinkedHashMap<>();
    lanes.put(Sha256Kind.ID, Sha256Lane::new);
    try (OpenClBackend backend = new OpenClBackend(device, lanes)) {
      assertThat(backend.kinds()).containsExactly(Sha256Kind.ID);
      assertThat(backend.execute(BuiltinKinds.sha256(), List.of(INPUT), ExecutionContext.NONE))
          .containsExactly(Sha256Kind.compute(INPUT));

      // Aparapi marks the device failed for this kernel class and would go on in Java threads.
      KernelManager.instance()
          .setPreferredDevices(
              backend.kernelFor(Sha256Kind.ID).kernel(),
              new LinkedHashSet<Device>(List.of(JavaDevice.THREAD_POOL)));

      assertThatThrownBy(
              () -> backend.execute(BuiltinKinds.sha256(), List.of(INPUT), ExecutionContext.NONE))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.getMessage()).contains("sha256");
              });
      assertThat(backend.kinds()).isEmpty();
      assertThat(backend.refusals()).containsKey(Sha256Kind.ID);
    }
  }

  @Test
  void aClosedBackendRunsNothing() {
    Map<String, Function<OpenCLDevice, Lane>> lanes = new LinkedHashMap<>();
    lanes.put(Sha256Kind.ID, Sha256Lane::new);
    OpenClBackend backend = new OpenClBackend(TestDevices.best(), lanes);
    backend.close();
    backend.close();
    assertThatThrownBy(
            () -> backend.execute(BuiltinKinds.sha256(), List.of(INPUT), ExecutionContext.NONE))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }
}
