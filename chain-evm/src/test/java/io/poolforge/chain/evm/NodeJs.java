package io.poolforge.chain.evm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs node scripts from chain-evm/ for the tests. */
final class NodeJs {
  private NodeJs() {}

  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs {@code node args...} in chain-evm/ with {@code stdin}, within 120 s. */
  static Result run(String stdin, String... args) {
    HardhatNode.requireNodeModules();
    Path dir = HardhatNode.moduleDir();
    List<String> command = new java.util.ArrayList<>();
    command.add("node");
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      var out = p.getInputStream().readAllBytes();
      var err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("node " + String.join(" ", args) + " took over 120 s");
      }
      return new Result(
          p.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (Node.js 20+ on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
