package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ledger.Payout;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares the Java tree and Keccak-256 with OpenZeppelin's own {@code @openzeppelin/merkle-tree}
 * and the {@code ethereum-cryptography} Keccak it uses, run by Node from {@code
 * tools/merkle-compat} (install with {@code npm ci} there).
 */
class EvmMerkleTreeCompatibilityTest {
  private static Path tools;

  @BeforeAll
  static void findTools() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("tools/merkle-compat"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError(
          "tools/merkle-compat not found above " + Path.of("").toAbsolutePath());
    }
    tools = dir.resolve("tools/merkle-compat");
    if (!Files.isDirectory(tools.resolve("node_modules/@openzeppelin/merkle-tree"))) {
      throw new AssertionError(
          "OpenZeppelin's merkle-tree library is not installed: run `npm ci` in "
              + tools
              + " (Node 18+), then run this test again");
    }
  }

  private static String node(String script, String stdin) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("node", script)
              .directory(tools.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "`node` is not on the PATH; install Node.js 18+ to run this test", e);
    }
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(p.exitValue()).as("node exit status").isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void rootAndEveryProofMatchOpenZeppelin() throws Exception {
    int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 100, 1000};
    List<List<Payout>> trees = new ArrayList<>();
    StringBuilder json = new StringBuilder("[");
    for (int size : sizes) {
      Random random = new Random(size);
      List<Payout> payouts = new ArrayList<>();
      json.append(trees.isEmpty() ? "[" : ",[");
      for (int i = 0; i < size; i++) {
        String address = EvmMerkleTreeTest.randomAddress(random);
        if (i % 3 == 0) {
          address = address.toUpperCase(Locale.ROOT).replace("0X", "0x");
        }
        BigInteger amount =
            i == 0 ? BigInteger.TWO.pow(256).subtract(BigInteger.ONE) : new BigInteger(96, random);
        payouts.add(new Payout(address, amount));
        json.append(i == 0 ? "" : ",").append("[\"").append(address).append("\",\"");
        json.append(amount).append("\"]");
      }
      json.append(']');
      trees.add(payouts);
    }
    json.append(']');
    String[] results = node("tree.mjs", json.toString()).split("\\},\\{\"root\"");
    assertThat(results).hasSize(sizes.length);

    for (int t = 0; t < sizes.length; t++) {
      String out = results[t];
      EvmMerkleTree tree = EvmMerkleTree.of(trees.get(t));
      Matcher root = Pattern.compile("\"?:?\"0x([0-9a-f]{64})\",\"proofs\"").matcher(out);
      assertThat(root.find()).as("root in tree of %d", sizes[t]).isTrue();
      assertThat(tree.root().toHex()).as("root of %d leaves", sizes[t]).isEqualTo(root.group(1));
      for (Payout p : trees.get(t)) {
        String address = p.address().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("\"" + address + "\":\\[([^\\]]*)\\]").matcher(out);
        assertThat(m.find()).as("proof of %s", address).isTrue();
        List<Bytes> expected = new ArrayList<>();
        Matcher h = Pattern.compile("0x([0-9a-f]{64})").matcher(m.group(1));
        while (h.find()) {
          expected.add(Bytes.fromHex(h.group(1)));
        }
        assertThat(tree.proof(p.address())).as("proof of %s", address).isEqualTo(expected);
      }
    }
  }

  @Test
  void keccakMatchesOnEveryLengthAroundTheRate() throws Exception {
    Random random = new Random(1);
    List<byte[]> inputs = new ArrayList<>();
    for (int len = 0; len <= 420; len++) {
      byte[] b = new byte[len];
      random.nextBytes(b);
      inputs.add(b);
    }
    StringBuilder stdin = new StringBuilder();
    for (byte[] b : inputs) {
      stdin.append(HexFormat.of().formatHex(b)).append('\n');
    }
    String[] lines = node("keccak.mjs", stdin.toString()).split("\n");
    assertThat(lines).hasSize(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(HexFormat.of().formatHex(Keccak256.digest(inputs.get(i))))
          .as("keccak256 of %d bytes", i)
          .isEqualTo(lines[i].replaceFirst("^0x", ""));
    }
  }
}
