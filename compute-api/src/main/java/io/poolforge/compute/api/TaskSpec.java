package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work as submitted: the kind, its encoded input, and how it should be scheduled and
 * verified. The pool validates the spec again at its boundary against its own configured limits
 * (known kind, payload size), and the kind decodes and checks the payload.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String, Bytes)}.
 *
 * @param kind the task kind id, such as "sha256"
 * @param payload the input encoded by the kind's input codec; at most {@link #MAX_PAYLOAD_BYTES}
 * @param priority {@link Priority#MIN} to {@link Priority#MAX}
 * @param submitter who submitted it; fair share is computed per submitter
 * @param requirements what the worker must have
 * @param deadline how long after submission the task may take before it fails with
 *     DEADLINE_EXCEEDED, or null for none
 * @param verification how its result is verified, or null for the pool's default
 * @param maxAttempts how many times the task may be assigned before it fails, 1-100
 * @param labels free-form metadata (at most 32 entries), returned with status queries
 * @since 0.1.0
 */
public record TaskSpec(
    String kind,
    Bytes payload,
    int priority,
    String submitter,
    Requirements requirements,
    @Nullable Duration deadline,
    @Nullable VerificationSpec verification,
    int maxAttempts,
    Map<String, String> labels) {
  /** The hard upper bound on a payload; pools may configure a lower one. */
  public static final int MAX_PAYLOAD_BYTES = 64 << 20;

  /** The default number of attempts. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** The submitter used when none is given. */
  public static final String DEFAULT_SUBMITTER = "default";

  private static final Pattern SUBMITTER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  /** Validates the fields and copies the labels. */
  public TaskSpec {
    Checks.name("kind", kind);
    Checks.notNull("payload", payload);
    if (payload.size() > MAX_PAYLOAD_BYTES) {
      throw PoolException.invalidArgument(
          "payload", "is " + payload.size() + " bytes, the limit is " + MAX_PAYLOAD_BYTES);
    }
    Priority.check(priority);
    Checks.matches(
        "submitter", submitter, SUBMITTER, "must be 1-128 characters of [A-Za-z0-9._:@-]");
    Checks.notNull("requirements", requirements);
    if (deadline != null) {
      Checks.positive("deadline", deadline);
    }
    Checks.range("maxAttempts", maxAttempts, 1, 100);
    labels = Map.copyOf(Checks.size("labels", labels, 32));
    labels.forEach(
        (k, v) -> {
          Checks.name("labels.key", k);
          Checks.notBlank("labels." + k, v, 256);
        });
  }

  /**
   * Starts a builder with the defaults: priority NORMAL, submitter "default", no requirements, no
   * deadline, the pool's verification, {@value #DEFAULT_MAX_ATTEMPTS} attempts, no labels.
   *
   * @param kind the task kind id
   * @param payload the encoded input
   * @return a builder
   */
  public static Builder builder(String kind, Bytes payload) {
    return new Builder(kind, payload);
  }

  /**
   * Builds a {@link TaskSpec}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String kind;
    private final Bytes payload;
    private @Nullable Integer priority;
    private @Nullable String submitter;
    private @Nullable Requirements requirements;
    private @Nullable Duration deadline;
    private @Nullable VerificationSpec verification;
    private @Nullable Integer maxAttempts;
    private @Nullable Map<String, String> labels;

    private Builder(String kind, Bytes payload) {
      this.kind = Checks.name("kind", kind);
      this.payload = Checks.notNull("payload", payload);
    }

    private static void once(String field, @Nullable Object current) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * Sets the priority.
     *
     * @param value {@link Priority#MIN} to {@link Priority#MAX}
     * @return this
     */
    public Builder priority(int value) {
      once("priority", priority);
      priority = Priority.check(value);
      return this;
    }

    /**
     * Sets the submitter.
     *
     * @param value the submitter name
     * @return this
     */
    public Builder submitter(String value) {
      once("submitter", submitter);
      submitter =
          Checks.matches(
              "submitter", value, SUBMITTER, "must be 1-128 characters of [A-Za-z0-9._:@-]");
      return this;
    }

    /**
     * Sets the requirements.
     *
     * @param value the requirements
     * @return this
     */
    public Builder requirements(Requirements value) {
      once("requirements", requirements);
      requirements = Checks.notNull("requirements", value);
      return this;
    }

    /**
     * Sets the deadline, measured from submission.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder deadline(Duration value) {
      once("deadline", deadline);
      deadline = Checks.positive("deadline", value);
      return this;
    }

    /**
     * Sets the verification for this task, overriding the pool's default.
     *
     * @param value the verification
     * @return this
     */
    public Builder verification(VerificationSpec value) {
      once("verification", verification);
      verification = Checks.notNull("verification", value);
      return this;
    }

    /**
     * Sets the attempt cap.
     *
     * @param value 1-100
     * @return this
     */
    public Builder maxAttempts(int value) {
      once("maxAttempts", maxAttempts);
      maxAttempts = Checks.range("maxAttempts", value, 1, 100);
      return this;
    }

    /**
     * Sets the labels.
     *
     * @param value at most 32 entries
     * @return this
     */
    public Builder labels(Map<String, String> value) {
      once("labels", labels);
      labels = Map.copyOf(Checks.notNull("labels", value));
      return this;
    }

    /**
     * Builds the spec.
     *
     * @return the validated spec
     */
    public TaskSpec build() {
      return new TaskSpec(
          kind,
          payload,
          priority == null ? Priority.NORMAL : priority,
          submitter == null ? DEFAULT_SUBMITTER : submitter,
          requirements == null ? Requirements.ANY : requirements,
          deadline,
          verification,
          maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts,
          labels == null ? Map.of() : labels);
    }
  }
}
