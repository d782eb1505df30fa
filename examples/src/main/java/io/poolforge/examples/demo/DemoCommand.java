package io.poolforge.examples.demo;

import io.poolforge.compute.api.PoolException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code poolforge demo}: runs an embedded coordinator with in-process workers on a mixed workload
 * of the built-in kinds, shows progress, writes the rendered frame and prints a summary. The
 * default run takes well under a minute on two cores; the options scale it up.
 *
 * <p>Not thread-safe; {@link #call} blocks until the run ends.
 *
 * @since 0.1.0
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a whole pool in this process: a coordinator, CPU workers (plus CUDA/OpenCL where"
            + " available) and a mixed workload of hashing, proof-of-work, RSA signing and a"
            + " path-traced frame.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--tasks",
      description = "sha256 tasks (16 messages each), default ${DEFAULT-VALUE}")
  int tasks = 2000;

  @Option(
      names = "--pow",
      description = "proof-of-work ranges of 65,536 nonces, default ${DEFAULT-VALUE}")
  int pow = 12;

  @Option(
      names = "--rsa",
      description = "RSA-2048 tasks (4 signatures each), default ${DEFAULT-VALUE}")
  int rsa = 24;

  @Option(names = "--width", description = "frame width, default ${DEFAULT-VALUE}")
  int width = 320;

  @Option(names = "--height", description = "frame height, default ${DEFAULT-VALUE}")
  int height = 240;

  @Option(names = "--spp", description = "samples per pixel, default ${DEFAULT-VALUE}")
  int spp = 8;

  @Option(names = "--tile", description = "render tile side in pixels, default ${DEFAULT-VALUE}")
  int tile = 40;

  @Option(names = "--workers", description = "in-process CPU workers, default ${DEFAULT-VALUE}")
  int workers = 3;

  @Option(
      names = "--cheaters",
      description =
          "extra workers that forge their sha256 answers, to show them caught, default ${DEFAULT-VALUE}")
  int cheaters = 1;

  @Option(names = "--seed", description = "seed of every random input, default ${DEFAULT-VALUE}")
  long seed = 42;

  @Option(names = "--output", description = "directory for frame.png, default ${DEFAULT-VALUE}")
  Path output = Path.of("demo-output");

  @Option(names = "--plain", description = "plain progress lines instead of a redrawn bar")
  boolean plain;

  private final PrintStream out;

  /** A demo command printing to standard output. */
  public DemoCommand() {
    this(System.out);
  }

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    DemoOptions options;
    try {
      options =
          new DemoOptions(
              tasks, pow, rsa, width, height, spp, tile, workers, cheaters, seed, output);
    } catch (PoolException e) {
      System.err.println("poolforge demo: " + e.getMessage());
      return 2;
    }
    boolean interactive = !plain && Progress.interactiveTerminal();
    out.printf(
        Locale.ROOT,
        "PoolForge demo: embedded coordinator, %d CPU worker(s), %d cores%n",
        options.workers(),
        Runtime.getRuntime().availableProcessors());
    DemoReport report = new DemoRun(options, out, interactive).run();
    SummaryTable.print(report, out);
    return report.failed() == 0 ? 0 : 1;
  }
}
