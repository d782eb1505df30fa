package io.poolforge.backend.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aparapi.device.OpenCLDevice;

/** The device engine tests run on; skips the test where no OpenCL platform exists. */
final class TestDevices {
  private TestDevices() {}

  static OpenCLDevice best() {
    assumeTrue(OpenClDevices.present(), "no OpenCL platform (install pocl-opencl-icd)");
    return OpenClDevices.discover().get(0);
  }
}
