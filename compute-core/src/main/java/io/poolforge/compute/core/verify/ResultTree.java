package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of the Merkle tree over a signed result batch, used by {@link
 * ResultSigner} to sign and by {@link ResultAuthenticator} and {@link SignedBatchVerifier} to
 * check.
 *
 * <ul>
 *   <li>leaf = SHA-256(0x00 || {@link WorkResult#signedContent}), fed without copying the output
 *   <li>node = SHA-256(0x01 || left || right); an unpaired last node is carried up unchanged
 *   <li>signed message = "poolforge.result-batch.v1" || size (4 bytes, big-endian) || root
 * </ul>
 *
 * <p>The 0x00/0x01 prefixes keep a leaf from being passed off as an inner node (and back); the
 * batch size in the signed message fixes the tree's shape. Stateless and thread-safe.
 */
final class ResultTree {
  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;
  private static final byte[] ROOT_TAG =
      "poolforge.result-batch.v1".getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
          });

  private ResultTree() {}

  /** A built tree: its root and each leaf's proof, in leaf order. */
  record Built(byte[] root, List<ResultProof> proofs) {}

  static byte[] leaf(WorkResult r) {
    return leaf(SHA256.get(), r);
  }

  /** The leaves of {@code n} results from {@code from}, with one digest for all of them. */
  static byte[][] leaves(List<WorkResult> results, int from, int n) {
    MessageDigest md = SHA256.get();
    byte[][] leaves = new byte[n][];
    for (int k = 0; k < n; k++) {
      leaves[k] = leaf(md, results.get(from + k));
    }
    return leaves;
  }

  private static byte[] leaf(MessageDigest md, WorkResult r) {
    md.update(LEAF);
    WorkResult.updateDigest(md, r.lease(), r.worker(), r.output(), r.error());
    return md.digest();
  }

  static byte[] node(byte[] left, byte[] right) {
    return node(SHA256.get(), left, right);
  }

  private static byte[] node(MessageDigest md, byte[] left, byte[] right) {
    md.update(NODE);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** The bytes the worker signs for a batch of {@code size} with this root. */
  static byte[] signedMessage(int size, byte[] root) {
    return ByteBuffer.allocate(ROOT_TAG.length + 4 + root.length)
        .put(ROOT_TAG)
        .putInt(size)
        .put(root)
        .array();
  }

  /**
   * The tree's levels, leaves first, root last (a level of one node).
   *
   * @param leaves 1 to {@link ResultProof#MAX_BATCH} leaf hashes
   */
  static byte[][][] levels(byte[][] leaves) {
    int size = leaves.length;
    if (size < 1 || size > ResultProof.MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + size);
    }
    MessageDigest md = SHA256.get();
    List<byte[][]> levels = new ArrayList<>(ResultProof.MAX_PATH + 1);
    byte[][] level = leaves;
    levels.add(level);
    while (level.length > 1) {
      int n = level.length;
      byte[][] up = new byte[(n + 1) / 2][];
      for (int i = 0; i < n; i += 2) {
        up[i >> 1] = i + 1 < n ? node(md, level[i], level[i + 1]) : level[i];
      }
      level = up;
      levels.add(level);
    }
    return levels.toArray(byte[][][]::new);
  }

  /** The sibling of node {@code i} on a level of {@code n} nodes, or -1 if it is carried up. */
  private static int sibling(int i, int n) {
    if ((i & 1) == 1) {
      return i - 1;
    }
    return i + 1 < n ? i + 1 : -1;
  }

  /**
   * Builds the tree over the leaves and every leaf's proof. Each node is wrapped once and shared by
   * the proofs whose paths pass it.
   *
   * @param leaves 1 to {@link ResultProof#MAX_BATCH} leaf hashes
   */
  static Built build(byte[][] leaves) {
    byte[][][] levels = levels(leaves);
    int size = leaves.length;
    int depth = levels.length - 1;
    Bytes[][] wrapped = new Bytes[depth][];
    for (int l = 0; l < depth; l++) {
      wrapped[l] = new Bytes[levels[l].length];
      for (int i = 0; i < levels[l].length; i++) {
        wrapped[l][i] = Bytes.wrap(levels[l][i]);
      }
    }
    List<ResultProof> proofs = new ArrayList<>(size);
    Bytes[] path = new Bytes[depth];
    for (int leaf = 0; leaf < size; leaf++) {
      int used = 0;
      int i = leaf;
      for (int l = 0; l < depth; l++) {
        int s = sibling(i, levels[l].length);
        if (s >= 0) {
          path[used++] = wrapped[l][s];
        }
        i >>= 1;
      }
      proofs.add(new ResultProof(leaf, size, List.of(Arrays.copyOf(path, used))));
    }
    return new Built(levels[depth][0], proofs);
  }

  /** Whether a proof's path is exactly the one the tree of these levels gives its leaf. */
  static boolean pathMatches(byte[][][] levels, ResultProof proof) {
    List<Bytes> path = proof.path();
    int used = 0;
    int i = proof.index();
    for (int l = 0; l < levels.length - 1; l++) {
      int s = sibling(i, levels[l].length);
      if (s >= 0) {
        if (used == path.size() || !path.get(used++).equals(Bytes.wrap(levels[l][s]))) {
          return false;
        }
      }
      i >>= 1;
    }
    return used == path.size();
  }

  /**
   * The root a proof leads to from a leaf, or null if the path does not fit the proof's shape
   * (which {@link ResultProof}'s constructor already rules out).
   */
  static byte @Nullable [] root(byte[] leaf, ResultProof proof) {
    byte[] h = leaf;
    int i = proof.index();
    int used = 0;
    List<Bytes> path = proof.path();
    for (int n = proof.size(); n > 1; n = (n + 1) / 2) {
      if ((i & 1) == 1) {
        if (used == path.size()) {
          return null;
        }
        h = node(path.get(used++).toByteArray(), h);
      } else if (i + 1 < n) {
        if (used == path.size()) {
          return null;
        }
        h = node(h, path.get(used++).toByteArray());
      }
      i >>= 1;
    }
    return used == path.size() ? h : null;
  }
}
