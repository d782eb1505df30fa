package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.jspecify.annotations.Nullable;

/**
 * Signs a worker's results with its Ed25519 private key over {@link WorkResult#signedContent}, as
 * the worker runtime does before it sends a result.
 *
 * <p>Thread-safe (each call uses its own {@link Signature}); does not block.
 *
 * @since 0.1.0
 */
public final class ResultSigner {
  private static final String ALGORITHM = "Ed25519";

  private final WorkerId worker;
  private final PrivateKey key;

  private ResultSigner(WorkerId worker, PrivateKey key) {
    this.worker = worker;
    this.key = key;
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
    byte[] content = WorkResult.signedContent(lease, worker, output, error);
    return new WorkResult(lease, worker, backend, output, error, elapsedNanos, signBytes(content));
  }

  /**
   * Signs arbitrary bytes with the worker's key (used for attestation bindings).
   *
   * @param content the bytes
   * @return the 64-byte signature
   */
  public Bytes signBytes(byte[] content) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(content);
      return Bytes.wrap(s.sign());
    } catch (GeneralSecurityException e) {
      throw new PoolException(
          io.poolforge.compute.api.ErrorCode.INTERNAL, "signing a result failed", e);
    }
  }

  static boolean isEd25519(String algorithm) {
    return ALGORITHM.equalsIgnoreCase(algorithm) || "EdDSA".equalsIgnoreCase(algorithm);
  }
}
