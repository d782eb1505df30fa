package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of the Merkle tree over a signed result batch, used by {@link
 * ResultSigner} to sign and by {@link ResultAuthenticator} and {@link SignedBatchVerifier} to
 * check.
 *
 * <ul>
 *   <li>leaf = SHA-256(0x00 || {@link WorkResult#signedContent})
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
    MessageDigest md = SHA256.get();
    md.update(LEAF);
    md.update(WorkResult.signedContent(r.lease(), r.worker(), r.output(), r.error()));
    return md.digest();
  }

  static byte[] node(byte[] left, byte[] right) {
    MessageDigest md = SHA256.get();
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
   * Builds the tree over the leaves and every leaf's proof.
   *
   * @param leaves 1 to {@link ResultProof#MAX_BATCH} leaf hashes
   */
  static Built build(List<byte[]> leaves) {
    int size = leaves.size();
    if (size < 1 || size > ResultProof.MAX_BATCH) {
      throw new IllegalArgumentException("batch of " + size);
    }
    List<List<Bytes>> paths = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      paths.add(new ArrayList<>(ResultProof.MAX_PATH));
    }
    // position of each leaf's ancestor on the current level
    int[] at = new int[size];
    for (int i = 0; i < size; i++) {
      at[i] = i;
    }
    List<byte[]> level = leaves;
    while (level.size() > 1) {
      int n = level.size();
      Bytes[] wrapped = new Bytes[n];
      for (int i = 0; i < n; i++) {
        wrapped[i] = Bytes.wrap(level.get(i));
      }
      for (int leaf = 0; leaf < size; leaf++) {
        int i = at[leaf];
        if ((i & 1) == 1) {
          paths.get(leaf).add(wrapped[i - 1]);
        } else if (i + 1 < n) {
          paths.get(leaf).add(wrapped[i + 1]);
        }
        at[leaf] = i >> 1;
      }
      List<byte[]> up = new ArrayList<>((n + 1) / 2);
      for (int i = 0; i < n; i += 2) {
        up.add(i + 1 < n ? node(level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = up;
    }
    List<ResultProof> proofs = new ArrayList<>(size);
    for (int leaf = 0; leaf < size; leaf++) {
      proofs.add(new ResultProof(leaf, size, paths.get(leaf)));
    }
    return new Built(level.get(0), proofs);
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
