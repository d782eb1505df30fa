package io.poolforge.chain.evm;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Test-side builder of OpenZeppelin {@code StandardMerkleTree} trees over {@code (address,
 * uint256)}: leaf = keccak256(keccak256(abi.encode(account, amount))), leaves sorted by hash, the
 * tree laid out as OpenZeppelin's array (root at 0, leaves at the end), inner nodes hashing their
 * two children in ascending order. Written from the format's description, checked against the JS
 * library in {@link MerkleTreeCompatibilityTest}.
 */
final class StandardMerkleTree {

  record Entry(String account, BigInteger amount) {}

  private final List<Entry> entries;
  private final byte[][] tree;
  private final int[] treeIndexOfEntry;

  private StandardMerkleTree(List<Entry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("entries: a tree needs at least 1 leaf");
    }
    this.entries = List.copyOf(entries);
    int n = entries.size();
    byte[][] leaves = new byte[n][];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      leaves[i] = leafHash(entries.get(i).account(), entries.get(i).amount());
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> leaves[i], Arrays::compareUnsigned));
    tree = new byte[2 * n - 1][];
    treeIndexOfEntry = new int[n];
    for (int k = 0; k < n; k++) {
      int index = tree.length - 1 - k;
      tree[index] = leaves[order[k]];
      treeIndexOfEntry[order[k]] = index;
    }
    for (int i = tree.length - 1 - n; i >= 0; i--) {
      tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
    }
  }

  static StandardMerkleTree of(List<Entry> entries) {
    return new StandardMerkleTree(entries);
  }

  static byte[] leafHash(String account, BigInteger amount) {
    byte[] encoded = new byte[64];
    byte[] address = Numeric.hexStringToByteArray(account);
    System.arraycopy(address, 0, encoded, 32 - address.length, address.length);
    byte[] value = Numeric.toBytesPadded(amount, 32);
    System.arraycopy(value, 0, encoded, 32, 32);
    return Hash.sha3(Hash.sha3(encoded));
  }

  private static byte[] hashPair(byte[] a, byte[] b) {
    byte[] both = new byte[64];
    boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
    System.arraycopy(aFirst ? a : b, 0, both, 0, 32);
    System.arraycopy(aFirst ? b : a, 0, both, 32, 32);
    return Hash.sha3(both);
  }

  String root() {
    return hex(tree[0]);
  }

  List<Entry> entries() {
    return entries;
  }

  /** Sibling hashes from the leaf of entry {@code i} (input order) up to the root. */
  List<String> proof(int i) {
    List<String> proof = new ArrayList<>();
    int index = treeIndexOfEntry[i];
    while (index > 0) {
      int sibling = index % 2 == 1 ? index + 1 : index - 1;
      proof.add(hex(tree[sibling]));
      index = (index - 1) / 2;
    }
    return proof;
  }

  private static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
