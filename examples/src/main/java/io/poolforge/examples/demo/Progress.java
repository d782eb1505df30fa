package io.poolforge.examples.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows the demo's progress: a redrawn bar with tasks per second on a terminal, or a plain line
 * every few seconds when there is no console or {@code CI} is set (logs, pipes, CI runners).
 * Thread-safe: completions may be counted from any thread; printing runs on one daemon thread.
 */
final class Progress implements AutoCloseable {
  private static final int BAR = 24;

  private final PrintStream out;
  private final boolean interactive;
  private final Map<String, Integer> totals;
  private final Map<String, AtomicInteger> done = new LinkedHashMap<>();
  private final AtomicInteger failed = new AtomicInteger();
  private final int total;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private int lastLength;

  Progress(PrintStream out, boolean interactive, Map<String, Integer> totals) {
    this.out = out;
    this.interactive = interactive;
    this.totals = new LinkedHashMap<>(totals);
    totals.keySet().forEach(k -> done.put(k, new AtomicInteger()));
    this.total = totals.values().stream().mapToInt(Integer::intValue).sum();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "poolforge-demo-progress");
              t.setDaemon(true);
              return t;
            });
    Duration every = interactive ? Duration.ofMillis(200) : Duration.ofSeconds(2);
    ticker.scheduleAtFixedRate(
        this::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Whether to draw an interactive bar: a console is attached and {@code CI} is unset or "false".
   *
   * @return true for a terminal
   */
  static boolean interactiveTerminal() {
    String ci = System.getenv("CI");
    boolean isCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    return System.console() != null && !isCi;
  }

  void completed(String kind) {
    done.get(kind).incrementAndGet();
  }

  void failed(String kind) {
    done.get(kind).incrementAndGet();
    failed.incrementAndGet();
  }

  private int finished() {
    return done.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  synchronized void print() {
    int finished = finished();
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    StringBuilder line = new StringBuilder();
    if (interactive) {
      int filled = total == 0 ? BAR : (int) ((long) BAR * finished / total);
      line.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ");
    } else {
      line.append("progress: ");
    }
    line.append(
        String.format(
            "%3d%% %d/%d tasks %8.1f tasks/s |",
            percent(finished), finished, total, finished / seconds));
    for (String kind : List.copyOf(totals.keySet())) {
      line.append(' ')
          .append(kind)
          .append(' ')
          .append(done.get(kind).get())
          .append('/')
          .append(totals.get(kind));
    }
    if (failed.get() > 0) {
      line.append(" | failed ").append(failed.get());
    }
    if (interactive) {
      int pad = Math.max(0, lastLength - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastLength = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  private int percent(int finished) {
    return total == 0 ? 100 : (int) (100L * finished / total);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    print();
    if (interactive) {
      out.println();
    }
  }
}
