package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java tree must give the same root and proofs as {@code @openzeppelin/merkle-tree}. */
class MerkleTreeCompatibilityTest {

  private static final String JS =
      """
      const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');
      const entries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
      const tree = StandardMerkleTree.of(entries, ['address', 'uint256']);
      const proofs = entries.map((_, i) => tree.getProof(i));
      process.stdout.write(JSON.stringify({ root: tree.root, proofs }));
      """;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 50, 129})
  void rootAndProofsMatchOpenZeppelinJs(int size) throws Exception {
    Random random = new Random(size);
    List<StandardMerkleTree.Entry> entries = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      byte[] address = new byte[20];
      random.nextBytes(address);
      BigInteger amount = new BigInteger(1 + random.nextInt(255), random);
      entries.add(
          new StandardMerkleTree.Entry("0x" + java.util.HexFormat.of().formatHex(address), amount));
    }
    StringBuilder json = new StringBuilder("[");
    for (var e : entries) {
      json.append(json.length() > 1 ? "," : "")
          .append("[\"")
          .append(e.account())
          .append("\",\"")
          .append(e.amount())
          .append("\"]");
    }
    json.append("]");

    NodeJs.Result result = NodeJs.run(json.toString(), "-e", JS);
    assertThat(result.exitCode()).as("node stderr: %s", result.stderr()).isZero();
    JsonNode js = new ObjectMapper().readTree(result.stdout());

    StandardMerkleTree tree = StandardMerkleTree.of(entries);
    assertThat(tree.root()).isEqualTo(js.get("root").asText());
    for (int i = 0; i < size; i++) {
      List<String> expected = new ArrayList<>();
      js.get("proofs").get(i).forEach(n -> expected.add(n.asText()));
      assertThat(tree.proof(i)).as("proof of entry %d", i).isEqualTo(expected);
    }
  }

  @Test
  void leafHashIsDoubleKeccakOfAbiEncoding() {
    // Pinned vector from @openzeppelin/merkle-tree 1.0.8 (tree.leafHash), so a change of the leaf
    // format fails here even where node is not run.
    byte[] leaf =
        StandardMerkleTree.leafHash(
            "0x1111111111111111111111111111111111111111", BigInteger.valueOf(5));
    assertThat(java.util.HexFormat.of().formatHex(leaf))
        .isEqualTo("dc984b7043e0c8ae8e70bc0e6568af0135198234df994ba88ca915bbf0734048");
  }
}
