package io.poolforge.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds nvcc on the PATH and runs it; tests that need it skip where it is missing. */
final class Nvcc {
  private Nvcc() {}

  /** nvcc's release ("release 13.0"), or empty if nvcc is not on the PATH. */
  static Optional<String> release() {
    try {
      Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      Matcher m = Pattern.compile("release [0-9.]+").matcher(out);
      return m.find() ? Optional.of(m.group()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Runs nvcc with the arguments in {@code dir}; fails the test with nvcc's output on error. */
  static void run(Path dir, List<String> args) throws IOException, InterruptedException {
    var cmd = new java.util.ArrayList<String>();
    cmd.add("nvcc");
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("nvcc " + args + " failed:\n" + out);
    }
  }
}
