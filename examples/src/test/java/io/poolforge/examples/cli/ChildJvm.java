package io.poolforge.examples.cli;

import io.poolforge.examples.PoolforgeCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code poolforge} command running in a child JVM: the same java binary and the test class
 * path as the test JVM, its output in a log file. {@link #kill()} is kill -9; {@link #stop()} a
 * graceful SIGTERM (shutdown hooks run).
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Path dir, String name, String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    // surefire's real class path; java.class.path may be its manifest-only booter jar
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1"); // short-lived and on a shared 2-core machine: C1 only
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-cp");
    command.add(cp);
    command.add(PoolforgeCli.class.getName());
    command.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new ChildJvm(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits for a line of the log that matches {@code regex} and returns its first group. */
  String await(String regex, long timeoutMillis) {
    Pattern pattern = Pattern.compile(regex);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < end) {
      String text = output();
      Matcher m = pattern.matcher(text);
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            name
                + " exited with "
                + process.exitValue()
                + " before printing "
                + regex
                + ":\n"
                + text);
      }
      sleep(50);
    }
    throw new AssertionError(
        name
            + " printed nothing matching "
            + regex
            + " within "
            + timeoutMillis
            + " ms:\n"
            + output());
  }

  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: no shutdown hook runs, nothing is flushed or closed. */
  void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: the command's shutdown hook closes it cleanly. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private void waitFor() {
    try {
      process.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
