package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.verify.internal.Ed25519Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signs a worker's results with its Ed25519 private key, as the worker runtime does before it sends
 * them: {@link #signBatch} builds a Merkle tree over the batch's leaves ({@link
 * WorkResult#signedContent}), signs its root once and gives each result its own {@link
 * ResultProof}; {@link #sign} signs one result as a batch of one.
 *
 * <p>Signatures are computed by {@link Ed25519Signer}, which gives the JDK's signatures byte for
 * byte, faster, and hands keys whose seed it cannot read to the JDK {@link Signature}.
 *
 * <p>Thread-safe (the signer is immutable and each call uses its own state); does not block.
 *
 * @since 0.1.0
 */
public final class ResultSigner {
  private static final String ALGORITHM = "Ed25519";

  private final WorkerId worker;
  private final Ed25519Signer signer;

  private ResultSigner(WorkerId worker, PrivateKey key) {
    this.worker = worker;
    this.signer = Ed25519Signer.of(key);
  }

  /**
   * A signer for one worker.
   *
   * @param worker the worker whose results it signs
   * @param key the worker's Ed25519 private key
   * @return the signer
   * @throws PoolException INVALID_ARGUMENT if the key is not an Ed25519 key
   */
  public static ResultSigner of(WorkerId worker, PrivateKey key) {
    Args.notNull("worker", worker);
    Args.notNull("key", key);
    if (!isEd25519(key.getAlgorithm())) {
      throw PoolException.invalidArgument(
          "key", "is a " + key.getAlgorithm() + " key, must be Ed25519");
    }
    return new ResultSigner(worker, key);
  }

  /**
   * Generates a fresh Ed25519 key pair for a worker.
   *
   * @return the key pair
   */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of every JDK since 15", e);
    }
  }

  /**
   * The X.509 encoding of a public key, as {@link io.poolforge.compute.api.WorkerInfo#publicKey()}
   * carries it.
   *
   * @param key the public key
   * @return its encoding
   */
  public static Bytes encode(PublicKey key) {
    Args.notNull("key", key);
    return Bytes.wrap(key.getEncoded());
  }

  /**
   * The worker this signer signs for.
   *
   * @return the worker
   */
  public WorkerId worker() {
    return worker;
  }

  /**
   * Builds and signs a result.
   *
   * @param lease the task and attempt it answers
   * @param backend the backend that computed it
   * @param output the encoded output, empty when {@code error} is set
   * @param error why no output was computed, or null
   * @param elapsedNanos how long the computation took
   * @return the signed result
   */
  public WorkResult sign(
      LeaseRef lease,
      String backend,
      Bytes output,
      TaskStatus.@Nullable Failure error,
      long elapsedNanos) {
    Args.notNull("lease", lease);
    Args.notNull("output", output);
    WorkResult unsigned =
        new WorkResult(lease, worker, backend, output, error, elapsedNanos, Bytes.EMPTY);
    return signBatch(List.of(unsigned)).get(0);
  }

  /**
   * Signs a batch with one signature: builds the Merkle tree over the results' leaves, signs its
   * root, and returns the results, in order, each with that signature and its own proof. Whatever
   * signature and proof the given results carry is replaced.
   *
   * @param results 1 to {@link ResultProof#MAX_BATCH} results of this signer's worker
   * @return the signed results
   * @throws PoolException INVALID_ARGUMENT if the batch is empty or too large, or a result names
   *     another worker
   */
  public List<WorkResult> signBatch(List<WorkResult> results) {
    Args.notNull("results", results);
    int n = results.size();
    if (n < 1 || n > ResultProof.MAX_BATCH) {
      throw PoolException.invalidArgument(
          "results", "has " + n + " results, must be 1 to " + ResultProof.MAX_BATCH);
    }
    for (int i = 0; i < n; i++) {
      WorkResult r = results.get(i);
      if (r == null) {
        throw PoolException.invalidArgument("results[" + i + "]", "must not be null");
      }
      if (!r.worker().equals(worker)) {
        throw PoolException.invalidArgument(
            "results[" + i + "].worker", "is " + r.worker() + ", this signer signs for " + worker);
      }
    }
    ResultTree.Built tree = ResultTree.build(ResultTree.leaves(results, 0, n));
    Bytes signature = signBytes(ResultTree.signedMessage(n, tree.root()));
    List<WorkResult> signed = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      signed.add(results.get(i).withSignature(signature, tree.proofs().get(i)));
    }
    return signed;
  }

  /**
   * Signs arbitrary bytes with the worker's key (used for attestation bindings).
   *
   * @param content the bytes
   * @return the 64-byte signature
   */
  public Bytes signBytes(byte[] content) {
    try {
      return Bytes.wrap(signer.sign(content));
    } catch (GeneralSecurityException e) {
      throw new PoolException(
          io.poolforge.compute.api.ErrorCode.INTERNAL, "signing a result failed", e);
    }
  }

  static boolean isEd25519(String algorithm) {
    return ALGORITHM.equalsIgnoreCase(algorithm) || "EdDSA".equalsIgnoreCase(algorithm);
  }
}
