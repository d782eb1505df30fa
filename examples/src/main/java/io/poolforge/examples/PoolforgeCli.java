package io.poolforge.examples;

import io.poolforge.examples.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code poolforge} command line. Each subcommand is its own class registered in the {@code
 * subcommands} list below: {@code demo} runs a whole pool in one process; the networked commands
 * (coordinator, worker, submit, status) are added beside it.
 *
 * <p>Not thread-safe; {@link #main} blocks until the command ends.
 *
 * @since 0.1.0
 */
@Command(
    name = "poolforge",
    mixinStandardHelpOptions = true,
    versionProvider = PoolforgeCli.Version.class,
    description = "PoolForge: run and use a decentralized compute pool.",
    subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class PoolforgeCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Creates the top-level command; picocli calls it. */
  public PoolforgeCli() {}

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @param args the arguments
   * @return the exit status
   */
  public static int run(String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    return new CommandLine(new PoolforgeCli()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest, or the source tree's version when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PoolforgeCli.class.getPackage().getImplementationVersion();
      return new String[] {"poolforge " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
