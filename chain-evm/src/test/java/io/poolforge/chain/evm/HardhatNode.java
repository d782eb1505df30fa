package io.poolforge.chain.evm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real local EVM: {@code npx hardhat node} from chain-evm/, on a free loopback port. One node
 * serves the whole test run (kept in JUnit's root store, stopped when the run ends). Fails, never
 * skips, when chain-evm/node_modules is missing.
 */
final class HardhatNode implements AutoCloseable {

  /** Hardhat's default, publicly known development keys (accounts 0 to 4, 10,000 ETH each). */
  static final List<String> DEV_KEYS =
      List.of(
          "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
          "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final String url;

  private HardhatNode(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** The node of this test run, started on first use. */
  static HardhatNode shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(HardhatNode.class))
        .computeIfAbsent("node", k -> start(), HardhatNode.class);
  }

  String url() {
    return url;
  }

  /** chain-evm/, where package.json and hardhat.config.js are. */
  static Path moduleDir() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    if (!Files.exists(dir.resolve("hardhat.config.js"))
        && Files.isDirectory(dir.resolve("chain-evm"))) {
      dir = dir.resolve("chain-evm");
    }
    return dir.toAbsolutePath();
  }

  /** Fails the calling test with the fix when the npm dependencies are not installed. */
  static void requireNodeModules() {
    requireNodeModules(moduleDir());
  }

  static void requireNodeModules(Path dir) {
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("hardhat"))) {
      fail(
          "chain-evm/node_modules is missing ("
              + dir.resolve("node_modules")
              + "): the chain-evm tests run a real Hardhat node and the OpenZeppelin JS tools. Run"
              + " `npm ci` in chain-evm first, i.e. `(cd chain-evm && npm ci)`.");
    }
  }

  static HardhatNode start() {
    requireNodeModules();
    Path dir = moduleDir();
    int port = freePort();
    Path log = dir.resolve("target").resolve("hardhat-node-" + port + ".log");
    Process process;
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(
                  "npx",
                  "hardhat",
                  "node",
                  "--hostname",
                  "127.0.0.1",
                  "--port",
                  String.valueOf(port))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start `npx hardhat node` in " + dir, e);
    }
    HardhatNode node = new HardhatNode(process, "http://127.0.0.1:" + port);
    try {
      node.awaitChainId(log);
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void awaitChainId(Path log) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(2))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "hardhat node exited with " + process.exitValue() + "; log: " + readLog(log));
      }
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains("\"0x7a69\"")) {
          return;
        }
        throw new IllegalStateException(
            "hardhat node answered a chain id other than 31337: " + body);
      } catch (IOException e) {
        sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the hardhat node", e);
      }
    }
    throw new IllegalStateException(
        "hardhat node did not answer eth_chainId within "
            + START_TIMEOUT
            + "; log: "
            + readLog(log));
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // npx starts node as a child: stop the whole tree, children first.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
