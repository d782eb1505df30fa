package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.ledger.Payout;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A Merkle tree over {@code (address, uint256)} leaves, built exactly as OpenZeppelin's {@code
 * StandardMerkleTree.of(values, ["address", "uint256"])} builds it, so a Solidity contract using
 * {@code MerkleProof.verify} accepts its proofs:
 *
 * <ul>
 *   <li>leaf = {@code keccak256(bytes.concat(keccak256(abi.encode(address, amount))))};
 *   <li>leaves sorted by hash (unsigned bytes), placed from the end of an array of {@code 2n - 1}
 *       nodes, node {@code i} having children {@code 2i + 1} and {@code 2i + 2};
 *   <li>an inner node is {@code keccak256} of its two children, the smaller first;
 *   <li>a proof is the list of siblings from the leaf up to, not including, the root.
 * </ul>
 *
 * <p>Immutable and thread-safe once built; building is CPU-bound and does not block.
 *
 * @since 0.1.0
 */
public final class EvmMerkleTree {
  private final Bytes root;
  private final Map<String, List<Bytes>> proofs;

  private EvmMerkleTree(Bytes root, Map<String, List<Bytes>> proofs) {
    this.root = root;
    this.proofs = proofs;
  }

  /**
   * Builds the tree.
   *
   * @param payouts at least one payout; addresses EVM and distinct (compared in lowercase)
   * @return the tree
   * @throws PoolException INVALID_ARGUMENT naming {@code payouts[i].address} for a non-EVM or
   *     repeated address, or {@code payouts} if empty
   */
  public static EvmMerkleTree of(List<Payout> payouts) {
    Checks.notNull("payouts", payouts);
    int n = payouts.size();
    if (n == 0) {
      throw PoolException.invalidArgument("payouts", "must not be empty");
    }
    String[] addresses = new String[n];
    Map<String, Integer> seen = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Payout p = Checks.notNull("payouts[" + i + "]", payouts.get(i));
      String a = EvmAddress.canonical("payouts[" + i + "].address", p.address());
      Integer before = seen.putIfAbsent(a, i);
      if (before != null) {
        throw PoolException.invalidArgument(
            "payouts[" + i + "].address", a + " repeats payouts[" + before + "]");
      }
      addresses[i] = a;
    }
    byte[][] leaves = new byte[n][];
    forEach(0, n, i -> leaves[i] = leafHashBytes(addresses[i], payouts.get(i).amount()));
    int[] order = sortedByHash(leaves);

    int size = 2 * n - 1;
    byte[][] tree = new byte[size][];
    for (int i = 0; i < n; i++) {
      tree[size - 1 - i] = leaves[order[i]];
    }
    // inner nodes level by level from the bottom; nodes of one level are independent
    int lastInner = size - 1 - n;
    if (lastInner >= 0) {
      int depth = 31 - Integer.numberOfLeadingZeros(lastInner + 1);
      for (int d = depth; d >= 0; d--) {
        int from = (1 << d) - 1;
        int to = Math.min((1 << (d + 1)) - 2, lastInner);
        forEach(from, to + 1, i -> tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]));
      }
    }
    Bytes[] nodes = new Bytes[size];
    for (int i = 0; i < size; i++) {
      nodes[i] = Bytes.wrap(tree[i]);
    }
    Map<String, List<Bytes>> proofs = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      int index = size - 1 - i;
      int depth = 0;
      for (int j = index; j > 0; j = (j - 1) / 2) {
        depth++;
      }
      Bytes[] proof = new Bytes[depth];
      int k = 0;
      for (int j = index; j > 0; j = (j - 1) / 2) {
        proof[k++] = nodes[(j % 2 == 1) ? j + 1 : j - 1];
      }
      proofs.put(addresses[order[i]], List.of(proof));
    }
    return new EvmMerkleTree(nodes[0], Collections.unmodifiableMap(proofs));
  }

  /**
   * The root.
   *
   * @return 32 bytes
   */
  public Bytes root() {
    return root;
  }

  /**
   * Every address's proof, keyed by lowercase address.
   *
   * @return an unmodifiable map
   */
  public Map<String, List<Bytes>> proofs() {
    return proofs;
  }

  /**
   * One address's proof.
   *
   * @param address an address in the tree, any case
   * @return the sibling hashes from its leaf upwards
   * @throws PoolException NOT_FOUND if it is not in the tree
   */
  public List<Bytes> proof(String address) {
    List<Bytes> p = proofs.get(EvmAddress.canonical("address", address));
    if (p == null) {
      throw new PoolException(ErrorCode.NOT_FOUND, "address " + address + " is not in the tree");
    }
    return p;
  }

  /**
   * The leaf of one payout: {@code keccak256(keccak256(abi.encode(address, amount)))}.
   *
   * @param address an EVM address
   * @param amount an amount in [0, 2^256)
   * @return 32 bytes
   */
  public static Bytes leafHash(String address, BigInteger amount) {
    Payout p = new Payout(address, amount);
    return Bytes.wrap(leafHashBytes(EvmAddress.canonical("address", p.address()), p.amount()));
  }

  /**
   * Checks a proof as OpenZeppelin's {@code MerkleProof.verify} does.
   *
   * @param root the root
   * @param address the payout address
   * @param amount the cumulative amount
   * @param proof the proof
   * @return true if the proof leads from the leaf to the root
   */
  public static boolean verify(Bytes root, String address, BigInteger amount, List<Bytes> proof) {
    Checks.notNull("root", root);
    Checks.notNull("proof", proof);
    byte[] node = leafHash(address, amount).toByteArray();
    for (Bytes sibling : proof) {
      if (sibling.size() != 32) {
        return false;
      }
      node = hashPair(node, sibling.toByteArray());
    }
    return Arrays.equals(node, root.toByteArray());
  }

  /** Leaves at or above this count are hashed on the common fork-join pool. */
  private static final int PARALLEL_THRESHOLD = 4096;

  private static void forEach(int from, int to, IntConsumer body) {
    if (to - from >= PARALLEL_THRESHOLD) {
      IntStream.range(from, to).parallel().forEach(body);
    } else {
      for (int i = from; i < to; i++) {
        body.accept(i);
      }
    }
  }

  /**
   * Indices of {@code hashes} in unsigned byte order. Sorts primitive longs holding each hash's
   * leading bits above its index, then orders runs with equal leading bits by the full hash.
   */
  static int[] sortedByHash(byte[][] hashes) {
    int n = hashes.length;
    int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n - 1));
    long indexMask = (1L << indexBits) - 1;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long prefix = 0;
      for (int b = 0; b < 8; b++) {
        prefix = (prefix << 8) | (hashes[i][b] & 0xffL);
      }
      // keep the top (64 - indexBits) bits, flipped so that signed order is unsigned order
      keys[i] = (((prefix >>> indexBits) << indexBits) ^ Long.MIN_VALUE) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & indexMask);
    }
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && (keys[j] & ~indexMask) == (keys[i] & ~indexMask)) {
        j++;
      }
      if (j - i > 1) {
        Integer[] run = new Integer[j - i];
        for (int k = i; k < j; k++) {
          run[k - i] = order[k];
        }
        Arrays.sort(run, (x, y) -> Arrays.compareUnsigned(hashes[x], hashes[y]));
        for (int k = i; k < j; k++) {
          order[k] = run[k - i];
        }
      }
      i = j;
    }
    return order;
  }

  private static byte[] leafHashBytes(String canonicalAddress, BigInteger amount) {
    byte[] encoded = new byte[64];
    System.arraycopy(EvmAddress.bytes(canonicalAddress), 0, encoded, 12, 20);
    byte[] value = amount.toByteArray();
    int skip = value.length > 32 ? value.length - 32 : 0; // a leading sign byte of 2^255..2^256-1
    System.arraycopy(value, skip, encoded, 64 - (value.length - skip), value.length - skip);
    return Keccak256.digest(Keccak256.digest(encoded));
  }

  private static byte[] hashPair(byte[] a, byte[] b) {
    byte[] scratch = new byte[64];
    boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
    System.arraycopy(aFirst ? a : b, 0, scratch, 0, 32);
    System.arraycopy(aFirst ? b : a, 0, scratch, 32, 32);
    return Keccak256.digest(scratch);
  }
}
