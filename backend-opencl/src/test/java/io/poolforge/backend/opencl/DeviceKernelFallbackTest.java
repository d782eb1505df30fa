package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aparapi.Kernel;
import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Aparapi's silent fallback to Java threads is detected and refused, never passed off as OpenCL.
 */
class DeviceKernelFallbackTest {
  /** Calls into java.lang.String, which Aparapi cannot translate to OpenCL. */
  static final class StringKernel extends Kernel {
    int[] out = new int[64];

    @Override
    public void run() {
      out[getGlobalId()] = String.valueOf(getGlobalId()).length();
    }
  }

  /** A kernel Aparapi translates. */
  static final class SquareKernel extends Kernel {
    int[] data = new int[64];

    @Override
    public void run() {
      int i = getGlobalId();
      data[i] = data[i] * data[i];
    }
  }

  @Test
  void aKernelAparapiCannotTranslateIsRefusedAtCompileTime() {
    OpenCLDevice device = TestDevices.best();
    assertThatThrownBy(() -> new DeviceKernel<>(new StringKernel(), device, "string"))
        .isInstanceOf(KernelFallbackException.class)
        .hasMessageContaining("cannot compile the string kernel");
  }

  @Test
  void aLaunchAparapiMovesOffTheDeviceIsRefusedAndStaysRefused() {
    OpenCLDevice device = TestDevices.best();
    SquareKernel kernel = new SquareKernel();
    try (DeviceKernel<SquareKernel> dk = new DeviceKernel<>(kernel, device, "square")) {
      for (int i = 0; i < 64; i++) {
        kernel.data[i] = i;
      }
      kernel.put(kernel.data);
      dk.launch(64);
      kernel.get(kernel.data);
      assertThat(kernel.data[7]).isEqualTo(49);
      assertThat(dk.fallbackReason()).isNull();

      // What Aparapi does after a device failure: the kernel's preferences lead to Java threads.
      // On a range that names the device, Aparapi then fails the launch instead of moving it.
      KernelManager.instance()
          .setPreferredDevices(kernel, new LinkedHashSet<Device>(List.of(JavaDevice.THREAD_POOL)));
      assertThatThrownBy(() -> dk.launch(64))
          .isInstanceOf(KernelFallbackException.class)
          .hasMessageContaining("could not run on");
      assertThat(dk.fallbackReason()).contains("square");
      assertThatThrownBy(() -> dk.launch(64)).isInstanceOf(KernelFallbackException.class);
    }
  }
}
