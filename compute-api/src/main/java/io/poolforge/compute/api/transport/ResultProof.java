package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.util.List;

/**
 * Where one result sits in the batch its worker signed: the worker hashes each result's {@link
 * WorkResult#signedContent} into a leaf, builds a binary Merkle tree over the batch it sends, and
 * signs the tree's root once. This record carries the leaf's index, the batch size and the sibling
 * hashes from the leaf up to the root, so each result stays verifiable on its own (leaf, path,
 * root, signature) while the worker pays for one signature per batch.
 *
 * <p>The tree is built level by level: nodes are paired left to right, and an unpaired last node is
 * carried up unchanged (it consumes no sibling). The shape, and therefore the path length, follows
 * from {@code index} and {@code size}; the constructor checks the path has exactly that length. A
 * batch of one has an empty path ({@link #SINGLE}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param index the leaf's position in the batch, from 0
 * @param size how many results the batch holds, 1 to {@link #MAX_BATCH}
 * @param path the sibling hashes from the leaf's level upwards, each {@link #HASH_BYTES} bytes, at
 *     most {@link #MAX_PATH} of them
 * @since 0.1.0
 */
public record ResultProof(int index, int size, List<Bytes> path) {
  /** The most results one signed batch may hold (2^20). */
  public static final int MAX_BATCH = 1 << 20;

  /** The longest path: the depth of a tree of {@link #MAX_BATCH} leaves. */
  public static final int MAX_PATH = 20;

  /** The size of each hash on the path (SHA-256). */
  public static final int HASH_BYTES = 32;

  /** The proof of a result signed alone: index 0 of a batch of 1, empty path. */
  public static final ResultProof SINGLE = new ResultProof(0, 1, List.of());

  /** Validates the fields. */
  public ResultProof {
    Checks.range("proof.size", size, 1, MAX_BATCH);
    Checks.range("proof.index", index, 0, size - 1);
    Checks.notNull("proof.path", path);
    if (path.size() > MAX_PATH) {
      throw PoolException.invalidArgument(
          "proof.path", "has " + path.size() + " hashes, the limit is " + MAX_PATH);
    }
    path = List.copyOf(path);
    for (int i = 0; i < path.size(); i++) {
      Bytes h = path.get(i);
      if (h.size() != HASH_BYTES) {
        throw PoolException.invalidArgument(
            "proof.path[" + i + "]", "is " + h.size() + " bytes, must be " + HASH_BYTES);
      }
    }
    int expected = pathLength(index, size);
    if (path.size() != expected) {
      throw PoolException.invalidArgument(
          "proof.path",
          "has "
              + path.size()
              + " hashes, leaf "
              + index
              + " of a batch of "
              + size
              + " needs exactly "
              + expected);
    }
  }

  /**
   * How many sibling hashes the path of leaf {@code index} in a batch of {@code size} holds.
   *
   * @param index the leaf, in [0, size)
   * @param size the batch size, &gt;= 1
   * @return the path length
   */
  public static int pathLength(int index, int size) {
    int length = 0;
    int i = index;
    for (int n = size; n > 1; n = (n + 1) / 2) {
      if ((i & 1) == 1 || i + 1 < n) {
        length++;
      }
      i >>= 1;
    }
    return length;
  }
}
