package io.poolforge.backend.cpu;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the host tells about its CPU and memory. Stateless; reads /proc once per call. */
final class HostInfo {
  private HostInfo() {}

  /** The CPU model name, from /proc/cpuinfo where there is one. */
  static String cpuName() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(cpuinfo)) {
        List<String> lines = Files.readAllLines(cpuinfo);
        for (String line : lines) {
          if (line.startsWith("model name")) {
            int colon = line.indexOf(':');
            String name = line.substring(colon + 1).trim();
            if (!name.isEmpty()) {
              return name.length() > 256 ? name.substring(0, 256) : name;
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the generic name
    }
    return System.getProperty("os.arch", "unknown") + " CPU";
  }

  /** The physical memory of the host, or the JVM's maximum heap if the platform hides it. */
  static long memoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long total = os.getTotalMemorySize();
      if (total > 0) {
        return total;
      }
    }
    return Runtime.getRuntime().maxMemory();
  }
}
