package io.poolforge.compute.core.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.verify.internal.Ed25519Verifier;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates results before they reach the verifier: the worker must be registered, the result's
 * leaf ({@link WorkResult#signedContent}) walked up its {@link
 * io.poolforge.compute.api.transport.ResultProof} must reach a batch root whose Ed25519 signature
 * checks with the worker's registered X.509 public key, the task must be open and that attempt
 * leased to that worker, and the lease must not have been answered already (replays are rejected).
 *
 * <p>Each distinct (worker, batch size, root, signature) is checked with Ed25519 once; the verdict
 * is remembered (at most {@link Builder#maxRemembered} of them, for the replay window), so the
 * other results of a batch cost only their hash walk. Every other check runs for every result.
 *
 * <p>The coordinator binds a worker id to the first key registered for it; registering another key
 * for the same id is refused, so an id cannot be taken over.
 *
 * <p>Thread-safe; does not block. The replay memory holds each answered lease for {@link
 * Builder#replayWindow} (and at most {@link Builder#maxRemembered} of them); beyond that, the lease
 * check rejects a late replay because the attempt is no longer leased.
 *
 * @since 0.1.0
 */
public final class ResultAuthenticator {
  private final Map<WorkerId, PublicKey> keys = new ConcurrentHashMap<>();
  private final Map<PublicKey, Ed25519Verifier> verifiers = new ConcurrentHashMap<>();
  private final Cache<LeaseRef, WorkerId> answered;
  private final Cache<Verdict, Boolean> verdicts;

  private ResultAuthenticator(Builder b) {
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    Duration window = b.window == null ? Duration.ofHours(24) : b.window;
    long max = b.maxRemembered == null ? 1_000_000L : b.maxRemembered;
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    this.answered =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfterWrite(window)
            .maximumSize(max)
            .build();
    this.verdicts =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfterWrite(window)
            .maximumSize(Math.min(max, 65_536L))
            .build();
  }

  /**
   * Starts a builder. Defaults: system UTC clock, a 24-hour replay window, at most 1,000,000
   * remembered leases.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers a worker's public key.
   *
   * @param worker the worker as it registered
   * @throws PoolException INVALID_ARGUMENT if the key is not an X.509 Ed25519 key; UNAUTHENTICATED
   *     if the id is already bound to a different key
   */
  public void register(WorkerInfo worker) {
    Args.notNull("worker", worker);
    PublicKey key = parse(worker.publicKey());
    PublicKey prior = keys.putIfAbsent(worker.id(), key);
    if (prior != null && !Bytes.wrap(prior.getEncoded()).equals(Bytes.wrap(key.getEncoded()))) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED,
          "worker.publicKey: worker id " + worker.id() + " is already bound to another key");
    }
  }

  /**
   * Forgets a worker's key (when it is removed for good). Its id may then be registered anew.
   *
   * @param worker the worker
   * @return true if it was registered
   */
  public boolean unregister(WorkerId worker) {
    PublicKey removedKey = keys.remove(Args.notNull("worker", worker));
    boolean removed = removedKey != null;
    if (removedKey != null) {
      verifiers.remove(removedKey);
    }
    verdicts.asMap().keySet().removeIf(v -> v.worker().equals(worker));
    return removed;
  }

  /**
   * Authenticates a result and, if it passes, records its lease as answered.
   *
   * @param result the result as received
   * @param leases the scheduler's live leases
   * @throws PoolException UNAUTHENTICATED for an unknown worker, a bad signature, or a lease not
   *     held by that worker; VERIFICATION_FAILED for an unknown or closed task or a replay
   */
  public void authenticate(WorkResult result, LeaseLookup leases) {
    Args.notNull("result", result);
    Args.notNull("leases", leases);
    WorkerId worker = result.worker();
    PublicKey key = keys.get(worker);
    if (key == null) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED, "worker: " + worker + " is not registered");
    }
    if (!signatureChecksOnce(key, result)) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED,
          "signature: does not check with the key registered for worker "
              + worker
              + " on "
              + result.lease().task()
              + " attempt "
              + result.lease().attempt());
    }
    LeaseRef lease = result.lease();
    if (!leases.isOpen(lease.task())) {
      throw new PoolException(
          ErrorCode.VERIFICATION_FAILED,
          "lease.task: " + lease.task() + " is unknown or already finished");
    }
    @Nullable WorkerId holder = leases.holder(lease);
    if (holder == null) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED,
          "lease.attempt: attempt "
              + lease.attempt()
              + " of "
              + lease.task()
              + " is not leased (never assigned, expired or superseded)");
    }
    if (!holder.equals(worker)) {
      throw new PoolException(
          ErrorCode.UNAUTHENTICATED,
          "lease: attempt "
              + lease.attempt()
              + " of "
              + lease.task()
              + " is leased to another worker, not "
              + worker);
    }
    if (answered.asMap().putIfAbsent(lease, worker) != null) {
      throw new PoolException(
          ErrorCode.VERIFICATION_FAILED,
          "lease: attempt "
              + lease.attempt()
              + " of "
              + lease.task()
              + " was already answered (replay)");
    }
  }

  /**
   * Checks only a result's signature (leaf, proof, root, signature) against a given key, as a
   * worker-side or store-side audit.
   *
   * @param result the result
   * @param publicKey the X.509-encoded Ed25519 public key
   * @return true if the signature checks
   * @throws PoolException INVALID_ARGUMENT if the key is malformed
   */
  public static boolean signatureChecks(WorkResult result, Bytes publicKey) {
    Args.notNull("result", result);
    return signatureChecks(parse(Args.notNull("publicKey", publicKey)), result);
  }

  private boolean signatureChecksOnce(PublicKey key, WorkResult result) {
    byte[] root = ResultTree.root(ResultTree.leaf(result), result.proof());
    if (root == null) {
      return false;
    }
    int size = result.proof().size();
    Verdict v = new Verdict(result.worker(), size, Bytes.wrap(root), result.signature());
    Ed25519Verifier verifier = verifiers.computeIfAbsent(key, Ed25519Verifier::of);
    return verdicts.get(
        v, k -> verify(verifier, ResultTree.signedMessage(size, root), k.signature()));
  }

  private static boolean signatureChecks(PublicKey key, WorkResult result) {
    byte[] root = ResultTree.root(ResultTree.leaf(result), result.proof());
    return root != null
        && verify(key, ResultTree.signedMessage(result.proof().size(), root), result.signature());
  }

  /** What one signature verdict is remembered under. */
  private record Verdict(WorkerId worker, int size, Bytes root, Bytes signature) {}

  static boolean verify(PublicKey key, byte[] content, Bytes signature) {
    return verify(Ed25519Verifier.of(key), content, signature);
  }

  static boolean verify(Ed25519Verifier verifier, byte[] content, Bytes signature) {
    try {
      return verifier.verify(content, signature.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PoolException(ErrorCode.INTERNAL, "Ed25519 verification is unavailable", e);
    }
  }

  static PublicKey parse(Bytes encoded) {
    try {
      PublicKey key =
          KeyFactory.getInstance("Ed25519")
              .generatePublic(new X509EncodedKeySpec(encoded.toByteArray()));
      if (!ResultSigner.isEd25519(key.getAlgorithm())) {
        throw PoolException.invalidArgument(
            "worker.publicKey", "is a " + key.getAlgorithm() + " key, must be Ed25519");
      }
      return key;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw PoolException.invalidArgument(
          "worker.publicKey",
          "is not an X.509-encoded Ed25519 public key (" + encoded.size() + " bytes)");
    }
  }

  /**
   * Builds a {@link ResultAuthenticator}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable Duration window;
    private @Nullable Long maxRemembered;

    private Builder() {}

    /**
     * Sets the clock of the replay window.
     *
     * @param value the clock
     * @return this
     */
    public Builder clock(Clock value) {
      Args.once("clock", clock != null);
      clock = Args.notNull("clock", value);
      return this;
    }

    /**
     * Sets how long an answered lease is remembered; make it longer than a lease can live.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder replayWindow(Duration value) {
      Args.once("replayWindow", window != null);
      window = Args.positive("replayWindow", value);
      return this;
    }

    /**
     * Sets how many answered leases are remembered at most.
     *
     * @param value 1 to 100,000,000
     * @return this
     */
    public Builder maxRemembered(long value) {
      Args.once("maxRemembered", maxRemembered != null);
      if (value < 1 || value > 100_000_000L) {
        throw PoolException.invalidArgument(
            "maxRemembered", "is " + value + ", must be in [1, 100000000]");
      }
      maxRemembered = value;
      return this;
    }

    /**
     * Builds the authenticator.
     *
     * @return a new authenticator
     */
    public ResultAuthenticator build() {
      return new ResultAuthenticator(this);
    }
  }
}
