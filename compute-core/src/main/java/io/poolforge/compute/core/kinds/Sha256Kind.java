package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sha256} kind: FIPS 180-4 SHA-256 digests of a batch of messages.
 *
 * <p>Cost: one unit per 64-byte compression block, the unit all built-in kinds are priced in. Cheap
 * check: recomputes {@value #SAMPLES} digests at positions derived deterministically from the task
 * and the claimed output; a mismatch refutes the output, and a batch small enough to be recomputed
 * entirely is confirmed. A passing sample of a larger batch is {@code UNCHECKED}: it catches broken
 * backends, not a worker that corrupts a few entries on purpose, which spot-checks or replicas must
 * catch.
 *
 * <p>Immutable and thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class Sha256Kind implements TaskKind<Sha256Input, Sha256Output> {
  /** The kind id. */
  public static final String ID = "sha256";

  /** How many digests the cheap check recomputes. */
  public static final int SAMPLES = 4;

  static final Sha256Kind INSTANCE = new Sha256Kind();

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Sha256Kind::newDigest);

  private static final Codec<Sha256Input> INPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(Sha256Input value) {
          long size = 5;
          for (Bytes m : value.messages()) {
            size += 4 + m.size();
          }
          Wire.Writer w = new Wire.Writer((int) size).u32(value.messages().size());
          value.messages().forEach(w::bytes);
          return w.done();
        }

        @Override
        public Sha256Input decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          int n = r.count("sha256.messages", 1, Sha256Input.MAX_MESSAGES);
          List<Bytes> messages = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            messages.add(r.bytes("sha256.messages[" + i + "]", Sha256Input.MAX_MESSAGE_BYTES));
          }
          r.end();
          return new Sha256Input(messages);
        }
      };

  private static final Codec<Sha256Output> OUTPUT_CODEC =
      new Codec<>() {
        @Override
        public Bytes encode(Sha256Output value) {
          Wire.Writer w =
              new Wire.Writer(5 + 32 * value.digests().size()).u32(value.digests().size());
          value.digests().forEach(w::raw);
          return w.done();
        }

        @Override
        public Sha256Output decode(Bytes bytes) {
          Wire.Reader r = new Wire.Reader(bytes, ID);
          int n = r.count("sha256.digests", 1, Sha256Input.MAX_MESSAGES);
          List<Bytes> digests = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            digests.add(r.raw("sha256.digests[" + i + "]", Sha256Output.DIGEST_BYTES));
          }
          r.end();
          return new Sha256Output(digests);
        }
      };

  private Sha256Kind() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Codec<Sha256Input> inputCodec() {
    return INPUT_CODEC;
  }

  @Override
  public Codec<Sha256Output> outputCodec() {
    return OUTPUT_CODEC;
  }

  /** Inputs are checked when built; this re-checks a non-null input. */
  @Override
  public void validate(Sha256Input input) {
    if (input == null) {
      throw PoolException.invalidArgument("sha256.input", "must not be null");
    }
  }

  /**
   * One unit per compression block: {@code floor((length + 8) / 64) + 1} per message.
   *
   * @param input a valid input
   * @return the cost units
   */
  @Override
  public long costUnits(Sha256Input input) {
    long units = 0;
    for (Bytes m : input.messages()) {
      units += blocks(m.size());
    }
    return Math.max(1, units);
  }

  /**
   * The compression blocks SHA-256 runs for a message of this length, padding included.
   *
   * @param length the message length in bytes
   * @return the number of 64-byte blocks
   */
  public static long blocks(long length) {
    return (length + 8) / 64 + 1;
  }

  @Override
  public Verdict cheapCheck(Sha256Input input, Sha256Output output) {
    int n = input.messages().size();
    if (output.digests().size() != n) {
      return Verdict.REFUTED;
    }
    long seed = n;
    for (int i = 0; i < Math.min(n, 64); i++) {
      seed = Sampling.mix(seed ^ input.messages().get(i).hashCode());
      seed = Sampling.mix(seed ^ output.digests().get(i).hashCode());
    }
    int[] picks = Sampling.indices(seed, n, SAMPLES);
    for (int i : picks) {
      if (!digest(input.messages().get(i)).equals(output.digests().get(i))) {
        return Verdict.REFUTED;
      }
    }
    return picks.length == n ? Verdict.CONFIRMED : Verdict.UNCHECKED;
  }

  /**
   * The reference: SHA-256 of one message with the JDK's {@link MessageDigest} (which uses the
   * CPU's SHA extensions where the JVM has an intrinsic for them).
   *
   * @param message the message
   * @return its 32-byte digest
   */
  public static Bytes digest(Bytes message) {
    return digest(SHA256.get(), message);
  }

  /**
   * SHA-256 of one message with a digest the caller owns, for loops that hash many messages on one
   * thread.
   *
   * @param md a SHA-256 digest, reset on return; not shared between threads
   * @param message the message
   * @return its 32-byte digest
   */
  public static Bytes digest(MessageDigest md, Bytes message) {
    message.updateDigest(md);
    return Bytes.wrap(md.digest());
  }

  /**
   * The reference for a whole batch, sequential on the calling thread.
   *
   * @param input the batch
   * @return the digests
   */
  public static Sha256Output compute(Sha256Input input) {
    List<Bytes> out = new ArrayList<>(input.messages().size());
    for (Bytes m : input.messages()) {
      out.add(digest(m));
    }
    return new Sha256Output(out);
  }

  /**
   * A fresh SHA-256 {@link MessageDigest}, for a loop that hashes many messages on one thread (see
   * {@link #digest(MessageDigest, Bytes)}).
   *
   * @return the digest; not thread-safe
   */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new PoolException(ErrorCode.INTERNAL, "the JDK has no SHA-256 MessageDigest", e);
    }
  }

  @Override
  public String toString() {
    return "TaskKind[" + ID + "]";
  }
}
