package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.verify.internal.Ed25519Verifier;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the batch signatures of one worker's results: each result's leaf is hashed and walked up
 * its {@link ResultProof} to the batch root, and the Ed25519 signature over that root is checked
 * with the worker's key. The verdict for each distinct (batch size, root, signature) is remembered,
 * so a batch of {@code n} results costs one signature check and {@code n} short hash walks. The
 * memory is bounded (least recently used verdicts are dropped first).
 *
 * <p>A cached verdict cannot be borrowed by a forged or altered result: the cache is keyed by the
 * root the result's own leaf and path lead to, so any change to the result, its index or its path
 * leads to another root, which is checked afresh.
 *
 * <p>Not thread-safe: one instance per worker connection, called one message at a time (as the
 * transport SPI guarantees). Does not block.
 *
 * @since 0.1.0
 */
public final class SignedBatchVerifier {
  /** The verdicts one verifier remembers by default. */
  public static final int DEFAULT_CACHED_BATCHES = 256;

  private final Ed25519Verifier ed25519;
  private final Map<BatchKey, Boolean> verdicts;
  private long signatureChecks;

  private SignedBatchVerifier(PublicKey key, int maxCached) {
    this.ed25519 = Ed25519Verifier.of(key);
    this.verdicts =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<BatchKey, Boolean> eldest) {
            return size() > maxCached;
          }
        };
  }

  /**
   * A verifier for one worker's key.
   *
   * @param key the worker's Ed25519 public key
   * @param maxCachedBatches how many batch verdicts to remember, 1 to 1,000,000
   * @return the verifier
   * @throws PoolException INVALID_ARGUMENT if the key is not Ed25519 or the bound is out of range
   */
  public static SignedBatchVerifier of(PublicKey key, int maxCachedBatches) {
    Args.notNull("key", key);
    if (!ResultSigner.isEd25519(key.getAlgorithm())) {
      throw PoolException.invalidArgument(
          "key", "is a " + key.getAlgorithm() + " key, must be Ed25519");
    }
    if (maxCachedBatches < 1 || maxCachedBatches > 1_000_000) {
      throw PoolException.invalidArgument(
          "maxCachedBatches", "is " + maxCachedBatches + ", must be in [1, 1000000]");
    }
    return new SignedBatchVerifier(key, maxCachedBatches);
  }

  /**
   * A verifier for an X.509-encoded Ed25519 public key, as {@link
   * io.poolforge.compute.api.WorkerInfo#publicKey()} carries it.
   *
   * @param x509 the encoded key
   * @param maxCachedBatches how many batch verdicts to remember, 1 to 1,000,000
   * @return the verifier
   * @throws PoolException INVALID_ARGUMENT if the key is malformed or the bound is out of range
   */
  public static SignedBatchVerifier of(Bytes x509, int maxCachedBatches) {
    return of(ResultAuthenticator.parse(Args.notNull("x509", x509)), maxCachedBatches);
  }

  /**
   * Whether the result's signature checks: its leaf, walked up its proof, reaches a root that the
   * worker signed for a batch of that size.
   *
   * @param result the result as received
   * @return true if it checks
   */
  public boolean verify(WorkResult result) {
    Args.notNull("result", result);
    byte[] root = ResultTree.root(ResultTree.leaf(result), result.proof());
    if (root == null) {
      return false;
    }
    BatchKey k = new BatchKey(result.proof().size(), Bytes.wrap(root), result.signature());
    Boolean known = verdicts.get(k);
    if (known != null) {
      return known;
    }
    signatureChecks++;
    boolean ok = check(ed25519, result.proof().size(), root, result.signature());
    verdicts.put(k, ok);
    return ok;
  }

  /**
   * Checks a list of results as they arrived. Where the list holds a whole signed batch, in order
   * (indices 0 to size - 1 under one signature), the tree is rebuilt from the leaves once and each
   * result's path is compared with it, which costs one hash per node instead of one hash walk per
   * result; any other result is checked alone, as {@link #verify} does. The verdicts are the same
   * as {@link #verify}'s, result by result.
   *
   * @param results the results as received
   * @return for each result, whether it checks
   */
  public boolean[] verifyAll(List<WorkResult> results) {
    Args.notNull("results", results);
    int n = results.size();
    boolean[] ok = new boolean[n];
    int i = 0;
    while (i < n) {
      int size = wholeBatchAt(results, i);
      if (size > 1) {
        checkWhole(results, i, size, ok);
        i += size;
      } else {
        ok[i] = verify(results.get(i));
        i++;
      }
    }
    return ok;
  }

  /** The size of the whole batch that starts at {@code from}, or 0 if none does. */
  private static int wholeBatchAt(List<WorkResult> results, int from) {
    WorkResult first = results.get(from);
    int size = first.proof().size();
    if (first.proof().index() != 0 || size < 2 || from + size > results.size()) {
      return 0;
    }
    for (int k = 1; k < size; k++) {
      WorkResult r = results.get(from + k);
      if (r.proof().index() != k
          || r.proof().size() != size
          || !r.signature().equals(first.signature())) {
        return 0;
      }
    }
    return size;
  }

  private void checkWhole(List<WorkResult> results, int from, int size, boolean[] ok) {
    byte[][][] levels = ResultTree.levels(ResultTree.leaves(results, from, size));
    byte[] root = levels[levels.length - 1][0];
    Bytes signature = results.get(from).signature();
    BatchKey key = new BatchKey(size, Bytes.wrap(root), signature);
    Boolean known = verdicts.get(key);
    boolean signed;
    if (known != null) {
      signed = known;
    } else {
      signatureChecks++;
      signed = check(ed25519, size, root, signature);
      verdicts.put(key, signed);
    }
    if (signed) {
      for (int k = 0; k < size; k++) {
        ok[from + k] = ResultTree.pathMatches(levels, results.get(from + k).proof());
      }
    } else {
      // the leaves do not make a signed root: some are altered; judge each on its own path
      for (int k = 0; k < size; k++) {
        ok[from + k] = verify(results.get(from + k));
      }
    }
  }

  /**
   * How many Ed25519 checks this verifier has run (the rest were answered from its memory).
   *
   * @return the count
   */
  public long signatureChecks() {
    return signatureChecks;
  }

  static boolean check(Ed25519Verifier v, int size, byte[] root, Bytes signature) {
    try {
      return v.verify(ResultTree.signedMessage(size, root), signature.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PoolException(ErrorCode.INTERNAL, "Ed25519 verification is unavailable", e);
    }
  }

  /** What one verdict is remembered under. */
  record BatchKey(int size, Bytes root, Bytes signature) {}
}
