package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.api.verify.AttestationVerifier;
import io.poolforge.compute.core.verify.internal.Ed25519Signer;
import io.poolforge.compute.core.verify.internal.Ed25519Verifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a build measurement signed by a trusted vendor key: the evidence is a 32-byte
 * measurement (the SHA-256 of the worker build) followed by a 64-byte Ed25519 signature by a vendor
 * key over {@link #signedContent(Bytes, Bytes)}, which binds the measurement to the worker's public
 * key so that evidence cannot be lifted onto another worker. Optionally only an allow-list of
 * measurements is accepted. This is software attestation of a signed build; it does not verify
 * hardware TEE quotes.
 *
 * <p>Thread-safe; does not block.
 *
 * @since 0.1.0
 */
public final class Ed25519MeasurementVerifier implements AttestationVerifier {
  /** The evidence format this verifier understands. */
  public static final String FORMAT = "ed25519-measurement";

  /** Bytes of a measurement. */
  public static final int MEASUREMENT_BYTES = 32;

  /** Bytes of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  private static final byte[] DOMAIN =
      "poolforge.attestation.ed25519-measurement.v1".getBytes(StandardCharsets.US_ASCII);

  private final List<Ed25519Verifier> vendors;
  private final Set<Bytes> allowed;
  private final Duration validity;
  private final Clock clock;

  private Ed25519MeasurementVerifier(Builder b) {
    if (b.vendors.isEmpty()) {
      throw PoolException.invalidArgument("vendorKeys", "must hold at least one trusted key");
    }
    this.vendors = b.vendors.stream().map(Ed25519Verifier::of).toList();
    this.allowed = Set.copyOf(b.allowed);
    this.validity = b.validity == null ? Duration.ofHours(1) : b.validity;
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
  }

  /**
   * Starts a builder. At least one vendor key is required. Defaults: any measurement, verdicts
   * valid for one hour, system UTC clock.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The bytes a vendor signs: a domain tag, the measurement and the worker's public key.
   *
   * @param measurement the 32-byte measurement
   * @param workerPublicKey the worker's X.509 public key
   * @return the content to sign
   */
  public static byte[] signedContent(Bytes measurement, Bytes workerPublicKey) {
    Args.notNull("measurement", measurement);
    Args.notNull("workerPublicKey", workerPublicKey);
    return ByteBuffer.allocate(DOMAIN.length + measurement.size() + 4 + workerPublicKey.size())
        .put(DOMAIN)
        .put(measurement.asReadOnlyBuffer())
        .putInt(workerPublicKey.size())
        .put(workerPublicKey.asReadOnlyBuffer())
        .array();
  }

  /**
   * Creates evidence as a vendor's signing tool does, for a worker build and key.
   *
   * @param measurement the 32-byte measurement of the build
   * @param workerPublicKey the worker's X.509 public key
   * @param vendorKey the vendor's Ed25519 private key
   * @return the attestation to present at registration
   */
  public static Attestation issue(Bytes measurement, Bytes workerPublicKey, PrivateKey vendorKey) {
    checkMeasurement(measurement);
    Args.notNull("vendorKey", vendorKey);
    try {
      byte[] sig = Ed25519Signer.of(vendorKey).sign(signedContent(measurement, workerPublicKey));
      byte[] evidence = new byte[MEASUREMENT_BYTES + sig.length];
      System.arraycopy(measurement.toByteArray(), 0, evidence, 0, MEASUREMENT_BYTES);
      System.arraycopy(sig, 0, evidence, MEASUREMENT_BYTES, sig.length);
      return new Attestation(FORMAT, Bytes.wrap(evidence));
    } catch (GeneralSecurityException e) {
      throw PoolException.invalidArgument("vendorKey", "cannot sign with it: " + e.getMessage());
    }
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Result verify(Attestation attestation, Bytes workerPublicKey) {
    Args.notNull("attestation", attestation);
    Args.notNull("workerPublicKey", workerPublicKey);
    Instant now = clock.instant();
    if (!FORMAT.equals(attestation.format())) {
      return fail(now, "format is " + attestation.format() + ", expected " + FORMAT);
    }
    Bytes evidence = attestation.evidence();
    if (evidence.size() != MEASUREMENT_BYTES + SIGNATURE_BYTES) {
      return fail(
          now,
          "evidence is "
              + evidence.size()
              + " bytes, expected "
              + (MEASUREMENT_BYTES + SIGNATURE_BYTES));
    }
    byte[] raw = evidence.toByteArray();
    Bytes measurement = Bytes.of(raw, 0, MEASUREMENT_BYTES);
    Bytes signature = Bytes.of(raw, MEASUREMENT_BYTES, SIGNATURE_BYTES);
    byte[] content = signedContent(measurement, workerPublicKey);
    boolean signed = false;
    for (Ed25519Verifier vendor : vendors) {
      if (ResultAuthenticator.verify(vendor, content, signature)) {
        signed = true;
        break;
      }
    }
    if (!signed) {
      return fail(now, "signature does not check with any trusted vendor key for this worker key");
    }
    if (!allowed.isEmpty() && !allowed.contains(measurement)) {
      return fail(now, "measurement " + measurement.toHex() + " is not on the allow-list");
    }
    return new Result(true, measurement, now.plus(validity), "ok");
  }

  private static Result fail(Instant now, String reason) {
    return new Result(false, Bytes.EMPTY, now, reason);
  }

  private static void checkMeasurement(@Nullable Bytes measurement) {
    Args.notNull("measurement", measurement);
    if (measurement.size() != MEASUREMENT_BYTES) {
      throw PoolException.invalidArgument(
          "measurement", "is " + measurement.size() + " bytes, must be " + MEASUREMENT_BYTES);
    }
  }

  /**
   * Builds an {@link Ed25519MeasurementVerifier}. Scalar setters may be called once; keys and
   * measurements accumulate. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<PublicKey> vendors = new ArrayList<>();
    private final Set<Bytes> allowed = new HashSet<>();
    private @Nullable Duration validity;
    private @Nullable Clock clock;

    private Builder() {}

    /**
     * Trusts a vendor key.
     *
     * @param x509 the vendor's X.509-encoded Ed25519 public key
     * @return this
     */
    public Builder trustVendorKey(Bytes x509) {
      vendors.add(ResultAuthenticator.parse(Args.notNull("vendorKey", x509)));
      return this;
    }

    /**
     * Accepts a measurement; once any is given, only listed measurements verify.
     *
     * @param measurement a 32-byte build measurement
     * @return this
     */
    public Builder allowMeasurement(Bytes measurement) {
      checkMeasurement(measurement);
      allowed.add(measurement);
      return this;
    }

    /**
     * Sets how long a verdict may be cached.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder validity(Duration value) {
      Args.once("validity", validity != null);
      validity = Args.positive("validity", value);
      return this;
    }

    /**
     * Sets the clock that dates verdicts.
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
     * Builds the verifier.
     *
     * @return a new verifier
     * @throws io.poolforge.compute.api.PoolException INVALID_ARGUMENT without a vendor key
     */
    public Ed25519MeasurementVerifier build() {
      return new Ed25519MeasurementVerifier(this);
    }
  }
}
