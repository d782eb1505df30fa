package io.poolforge.backend.cuda;

import java.util.Arrays;
import java.util.Locale;

/**
 * Raw single-block SHA-256 compressions per second on GPU 0, the figure hashcat's SHA2-256 speed is
 * compared with. Runs on a GPU host through the device pack (test classes travel):
 *
 * <pre>bash .device/run.sh main io.poolforge.backend.cuda.RawCompressionBench</pre>
 */
public final class RawCompressionBench {
  private RawCompressionBench() {}

  /**
   * Prints the median rate of five timed kernels after a warm-up.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    CudaProbe.Result probe = CudaProbe.probe();
    if (!probe.available()) {
      System.out.println("no GPU: " + probe.reason());
      return;
    }
    try (CudaDevice gpu = new CudaDevice(0)) {
      int blocks = gpu.info().computeUnits() * 64;
      int rounds = 4096;
      gpu.compressBench(blocks, rounds);
      double[] rates = new double[5];
      for (int i = 0; i < rates.length; i++) {
        long nanos = gpu.compressBench(blocks, rounds);
        rates[i] = (double) blocks * 256 * rounds / (nanos / 1e9);
      }
      Arrays.sort(rates);
      System.out.printf(
          Locale.ROOT,
          "{\"device\": \"%s\", \"compressionsPerSecond\": %.4e}%n",
          gpu.info().name(),
          rates[2]);
    }
  }
}
