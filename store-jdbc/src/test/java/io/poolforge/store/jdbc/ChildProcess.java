package io.poolforge.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link ChildCoordinator} in its own JVM, with the lines it printed collected as they come. */
final class ChildProcess implements AutoCloseable {
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Path stderr;

  private ChildProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child died; what it printed before is kept
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildProcess start(Path dir, String... args) throws IOException {
    return start(dir, ChildCoordinator.class, args);
  }

  static ChildProcess start(Path dir, Class<?> main, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(dir, "child", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    return new ChildProcess(p, err);
  }

  /** Waits until {@code count} printed lines match, or fails with the child's stderr. */
  void awaitLines(Predicate<String> match, int count, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (lines.stream().filter(match).count() < count) {
      if (System.nanoTime() > end
          || (!process.isAlive() && lines.stream().filter(match).count() < count)) {
        Thread.sleep(200);
        throw new AssertionError(
            "child printed "
                + lines.stream().filter(match).count()
                + " of "
                + count
                + " expected lines (alive="
                + process.isAlive()
                + "); stderr:\n"
                + Files.readString(stderr));
      }
      Thread.sleep(20);
    }
  }

  /** kill -9: {@link Process#destroyForcibly()} sends SIGKILL on Linux. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit; stderr:\n" + Files.readString(stderr));
    }
    Thread.sleep(100); // let the reader drain stdout
    return process.exitValue();
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
