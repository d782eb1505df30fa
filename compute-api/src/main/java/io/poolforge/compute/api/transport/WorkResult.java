package io.poolforge.compute.api.transport;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A worker's answer for one lease: an output, or the reason it could not compute one.
 *
 * <p>Results are signed in batches: the worker hashes each result's {@link #signedContent} into a
 * leaf, builds a Merkle tree over the batch it sends, and signs the root once with its Ed25519 key.
 * Each result carries that signature and its own {@link ResultProof} (leaf index, batch size and
 * sibling hashes), so it can be checked alone: leaf, path, root, signature. A result signed alone
 * has {@link ResultProof#SINGLE}. compute-core's {@code ResultSigner} and {@code
 * ResultAuthenticator} implement the tree and the signed root.
 *
 * <p>Immutable and thread-safe.
 *
 * @param lease the task and attempt it answers
 * @param worker the worker that computed it
 * @param backend the backend id that computed it (for homogeneous redundancy)
 * @param output the encoded output; empty when {@code error} is set
 * @param error why no output was computed, or null
 * @param elapsedNanos how long the computation took on the worker, &gt;= 0
 * @param signature the Ed25519 signature over the root of the batch the result was sent in
 * @param proof where the result sits in that batch
 * @since 0.1.0
 */
public record WorkResult(
    LeaseRef lease,
    WorkerId worker,
    String backend,
    Bytes output,
    TaskStatus.@Nullable Failure error,
    long elapsedNanos,
    Bytes signature,
    ResultProof proof) {
  private static final byte[] DOMAIN = "poolforge.result.v2".getBytes(StandardCharsets.US_ASCII);

  /** Validates the fields. */
  public WorkResult {
    Checks.notNull("lease", lease);
    Checks.notNull("worker", worker);
    Checks.name("backend", backend);
    Checks.notNull("output", output);
    if (error != null && !output.isEmpty()) {
      throw PoolException.invalidArgument("output", "must be empty when error is set");
    }
    Checks.nonNegative("elapsedNanos", elapsedNanos);
    Checks.notNull("signature", signature);
    if (signature.size() > 256) {
      throw PoolException.invalidArgument(
          "signature", "is " + signature.size() + " bytes, the limit is 256");
    }
    Checks.notNull("proof", proof);
  }

  /**
   * A result signed alone (a batch of one): its proof is {@link ResultProof#SINGLE}.
   *
   * @param lease the task and attempt it answers
   * @param worker the worker that computed it
   * @param backend the backend id that computed it
   * @param output the encoded output; empty when {@code error} is set
   * @param error why no output was computed, or null
   * @param elapsedNanos how long the computation took on the worker, &gt;= 0
   * @param signature the Ed25519 signature over the root of its batch of one
   */
  public WorkResult(
      LeaseRef lease,
      WorkerId worker,
      String backend,
      Bytes output,
      TaskStatus.@Nullable Failure error,
      long elapsedNanos,
      Bytes signature) {
    this(lease, worker, backend, output, error, elapsedNanos, signature, ResultProof.SINGLE);
  }

  /**
   * This result with another signature and proof, as the worker sets them once its batch is signed.
   *
   * @param signature the signature over the batch root
   * @param proof the result's place in the batch
   * @return the signed result
   */
  public WorkResult withSignature(Bytes signature, ResultProof proof) {
    return new WorkResult(lease, worker, backend, output, error, elapsedNanos, signature, proof);
  }

  /**
   * The content of a result's leaf in its batch's Merkle tree: a domain tag, the worker id, task
   * id, attempt, whether it is an error, and then the output itself (or the error's code and
   * message), so a signature cannot be replayed for another task, attempt, worker or answer. Every
   * field before the answer has a fixed length or a length prefix, so the answer is simply the
   * rest. For a small answer the whole leaf fits one SHA-256 block.
   *
   * <pre>
   * "poolforge.result.v2" || len(worker id) (4 bytes) || worker id (UTF-8) || task id (8 bytes)
   *     || attempt (4 bytes) || 0 (output) or 1 (error) || output, or "CODE:message" (UTF-8)
   * </pre>
   *
   * @param lease the task and attempt
   * @param worker the worker
   * @param output the output
   * @param error the error, or null
   * @return the leaf content
   */
  public static byte[] signedContent(
      LeaseRef lease, WorkerId worker, Bytes output, TaskStatus.@Nullable Failure error) {
    byte[] head = contentHead(lease, worker, error);
    byte[] answer = error == null ? output.toByteArray() : errorText(error);
    byte[] content = Arrays.copyOf(head, head.length + answer.length);
    System.arraycopy(answer, 0, content, head.length, answer.length);
    return content;
  }

  /**
   * Feeds exactly the bytes of {@link #signedContent} to a digest, without copying the output.
   *
   * @param digest the digest to update
   * @param lease the task and attempt
   * @param worker the worker
   * @param output the output
   * @param error the error, or null
   */
  public static void updateDigest(
      MessageDigest digest,
      LeaseRef lease,
      WorkerId worker,
      Bytes output,
      TaskStatus.@Nullable Failure error) {
    Checks.notNull("digest", digest);
    digest.update(contentHead(lease, worker, error));
    if (error == null) {
      output.updateDigest(digest);
    } else {
      digest.update(errorText(error));
    }
  }

  private static byte[] contentHead(
      LeaseRef lease, WorkerId worker, TaskStatus.@Nullable Failure error) {
    String name = worker.value();
    int n = name.length(); // worker ids are ASCII (WorkerId): one UTF-8 byte per character
    byte[] head = new byte[DOMAIN.length + 4 + n + 8 + 4 + 1];
    System.arraycopy(DOMAIN, 0, head, 0, DOMAIN.length);
    int p = putInt(head, DOMAIN.length, n);
    for (int i = 0; i < n; i++) {
      head[p + i] = (byte) name.charAt(i);
    }
    p = putInt(head, p + n, (int) (lease.task().value() >>> 32));
    p = putInt(head, p, (int) lease.task().value());
    p = putInt(head, p, lease.attempt());
    head[p] = (byte) (error == null ? 0 : 1);
    return head;
  }

  private static int putInt(byte[] a, int at, int v) {
    a[at] = (byte) (v >>> 24);
    a[at + 1] = (byte) (v >>> 16);
    a[at + 2] = (byte) (v >>> 8);
    a[at + 3] = (byte) v;
    return at + 4;
  }

  private static byte[] errorText(TaskStatus.Failure error) {
    return (error.code() + ":" + error.message()).getBytes(StandardCharsets.UTF_8);
  }
}
