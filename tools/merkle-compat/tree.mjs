// Reads a JSON array of trees on stdin, each tree an array of [address, amountDecimalString]
// leaves, and prints a JSON array with, for each tree, the OpenZeppelin StandardMerkleTree root
// over (address, uint256) leaves and the proof of every address (keyed in lowercase).
// compute-core's EvmMerkleTreeCompatibilityTest compares these with the Java tree.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const trees = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const results = trees.map((values) => {
  const tree = StandardMerkleTree.of(values, ["address", "uint256"]);
  const proofs = {};
  for (const [i, v] of tree.entries()) {
    proofs[v[0].toLowerCase()] = tree.getProof(i);
  }
  return { root: tree.root, proofs };
});
process.stdout.write(JSON.stringify(results));
