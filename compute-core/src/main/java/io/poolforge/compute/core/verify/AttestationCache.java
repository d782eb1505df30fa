package io.poolforge.compute.core.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.api.verify.AttestationVerifier;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Verifies worker attestations through the {@link AttestationVerifier} registered for their format
 * and caches valid verdicts (Caffeine) until the earlier of the verdict's own expiry and {@link
 * Builder#maxTtl}, so a reconnecting worker is not verified again on each registration. Invalid
 * verdicts are not cached. Entries are keyed by a SHA-256 of the format, evidence and worker key.
 *
 * <p>Thread-safe. A miss calls the verifier, which may block.
 *
 * @since 0.1.0
 */
public final class AttestationCache {
  private final Map<String, AttestationVerifier> verifiers;
  private final Clock clock;
  private final Cache<Bytes, AttestationVerifier.Result> cache;
  private final AtomicLong misses = new AtomicLong();

  private AttestationCache(Builder b) {
    this.verifiers = Map.copyOf(b.verifiers);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    Duration maxTtl = b.maxTtl == null ? Duration.ofHours(1) : b.maxTtl;
    long maximumSize = b.maximumSize == null ? 100_000L : b.maximumSize;
    Clock c = this.clock;
    this.cache =
        Caffeine.newBuilder()
            .ticker(() -> c.millis() * 1_000_000L)
            .executor(Runnable::run)
            .maximumSize(maximumSize)
            .expireAfter(
                new Expiry<Bytes, AttestationVerifier.Result>() {
                  @Override
                  public long expireAfterCreate(
                      Bytes key, AttestationVerifier.Result value, long currentTime) {
                    long left = Duration.between(c.instant(), value.expiresAt()).toNanos();
                    return Math.max(0, Math.min(left, maxTtl.toNanos()));
                  }

                  @Override
                  public long expireAfterUpdate(
                      Bytes key,
                      AttestationVerifier.Result value,
                      long currentTime,
                      long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      Bytes key,
                      AttestationVerifier.Result value,
                      long currentTime,
                      long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /**
   * Starts a builder. Defaults: system UTC clock, a one-hour cap on caching, 100,000 entries.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies an attestation bound to a worker key, from the cache when a valid verdict is cached.
   *
   * @param attestation the evidence
   * @param workerPublicKey the worker's X.509 public key
   * @return the verdict; invalid for a format no verifier understands
   */
  public AttestationVerifier.Result verify(Attestation attestation, Bytes workerPublicKey) {
    Args.notNull("attestation", attestation);
    Args.notNull("workerPublicKey", workerPublicKey);
    Instant now = clock.instant();
    AttestationVerifier v = verifiers.get(attestation.format());
    if (v == null) {
      return new AttestationVerifier.Result(
          false,
          Bytes.EMPTY,
          now,
          "no attestation verifier for format " + attestation.format() + " is registered");
    }
    Bytes key = key(attestation, workerPublicKey);
    AttestationVerifier.Result cached = cache.getIfPresent(key);
    if (cached != null && cached.expiresAt().isAfter(now)) {
      return cached;
    }
    misses.incrementAndGet();
    AttestationVerifier.Result r = v.verify(attestation, workerPublicKey);
    if (r.valid() && r.expiresAt().isAfter(now)) {
      cache.put(key, r);
    }
    return r;
  }

  /**
   * How many verifications missed the cache and went to a verifier.
   *
   * @return the count
   */
  public long misses() {
    return misses.get();
  }

  private static Bytes key(Attestation a, Bytes workerKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] f = a.format().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      d.update(intBytes(f.length));
      d.update(f);
      d.update(intBytes(a.evidence().size()));
      d.update(a.evidence().asReadOnlyBuffer());
      d.update(workerKey.asReadOnlyBuffer());
      return Bytes.wrap(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /**
   * Builds an {@link AttestationCache}. Verifiers accumulate, one per format; scalar setters may be
   * called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, AttestationVerifier> verifiers = new HashMap<>();
    private @Nullable Clock clock;
    private @Nullable Duration maxTtl;
    private @Nullable Long maximumSize;

    private Builder() {}

    /**
     * Registers a verifier for its format.
     *
     * @param verifier the verifier
     * @return this
     * @throws PoolException INVALID_ARGUMENT if its format already has one
     */
    public Builder verifier(AttestationVerifier verifier) {
      Args.notNull("verifier", verifier);
      if (verifiers.putIfAbsent(verifier.format(), verifier) != null) {
        throw PoolException.invalidArgument(
            "verifier", "format " + verifier.format() + " already has a verifier");
      }
      return this;
    }

    /**
     * Sets the clock of expiry.
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
     * Sets the longest a verdict is cached, whatever its own expiry.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder maxTtl(Duration value) {
      Args.once("maxTtl", maxTtl != null);
      maxTtl = Args.positive("maxTtl", value);
      return this;
    }

    /**
     * Sets how many verdicts are cached at most.
     *
     * @param value 1 to 10,000,000
     * @return this
     */
    public Builder maximumSize(long value) {
      Args.once("maximumSize", maximumSize != null);
      if (value < 1 || value > 10_000_000L) {
        throw PoolException.invalidArgument(
            "maximumSize", "is " + value + ", must be in [1, 10000000]");
      }
      maximumSize = value;
      return this;
    }

    /**
     * Builds the cache.
     *
     * @return a new cache
     */
    public AttestationCache build() {
      return new AttestationCache(this);
    }
  }
}
