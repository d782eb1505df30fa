package io.poolforge.transport.grpc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEMPORARY latency trace of urgent tasks (issue #7 investigation): System.nanoTime per stage,
 * enabled by -Dpoolforge.urgentTrace=true. Thread-safe.
 */
public final class UrgentTrace {
  public static final boolean ON = Boolean.getBoolean("poolforge.urgentTrace");
  public static final Map<Long, long[]> TIMES = new ConcurrentHashMap<>();

  private UrgentTrace() {}

  public static void mark(long task, int stage) {
    TIMES.computeIfAbsent(task, k -> new long[10])[stage] = System.nanoTime();
  }

  public static void markIfTracked(long task, int stage) {
    long[] t = TIMES.get(task);
    if (t != null && t[stage] == 0) {
      t[stage] = System.nanoTime();
    }
  }

  public static void dump(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Long, long[]> e : TIMES.entrySet()) {
      sb.append(e.getKey());
      for (long v : e.getValue()) {
        sb.append(' ').append(v);
      }
      sb.append('\n');
    }
    Files.writeString(file, sb.toString());
  }
}
