package io.poolforge.compute.api;

import java.util.List;
import java.util.Optional;

/**
 * A kind of work the pool can run, such as SHA-256 hashing or rendering a tile. A kind defines the
 * input and output formats, checks inputs against its limits, prices work for rewards, and says how
 * its results can be verified and, optionally, split into chunks or resumed from a checkpoint.
 * Backends execute kinds; the coordinator never interprets payloads except through the kind.
 *
 * <p>Implementations must be immutable and thread-safe; no method may block.
 *
 * @param <I> the input type
 * @param <O> the output type
 * @since 0.1.0
 */
public interface TaskKind<I, O> {
  /**
   * The kind's id, unique within a pool: 1-64 characters of {@code [a-z0-9._-]}.
   *
   * @return the id
   */
  String id();

  /**
   * The input format.
   *
   * @return the codec of inputs
   */
  Codec<I> inputCodec();

  /**
   * The output format.
   *
   * @return the codec of outputs
   */
  Codec<O> outputCodec();

  /**
   * Checks an input against the kind's limits (sizes, ranges, structure).
   *
   * @param input a decoded input
   * @throws PoolException INVALID_ARGUMENT naming the field and limit
   */
  void validate(I input);

  /**
   * The price of an input in cost units, the basis of a worker's reward: cheap work (a hash) costs
   * little, heavy work (a 4096-bit modular exponentiation) costs much.
   *
   * @param input a valid input
   * @return cost units, &gt;= 1
   */
  long costUnits(I input);

  /**
   * The kind's own cheap check of a result, far cheaper than computing it (re-hash a found nonce,
   * the RSA public-exponent check, recompute a sample).
   *
   * @param input the task's input
   * @param output the claimed output
   * @return whether the output is confirmed, refuted, or cannot be judged cheaply
   */
  default Verdict cheapCheck(I input, O output) {
    return Verdict.UNCHECKED;
  }

  /**
   * Whether every correct backend produces bit-identical outputs. Kinds whose outputs differ in the
   * last bits (floating point) return false, so verification compares results only within one
   * backend class or through {@link #equivalent}.
   *
   * @return true if outputs are exact
   */
  default boolean exactOutputs() {
    return true;
  }

  /**
   * Whether two outputs count as the same answer: equality for exact kinds, a stated tolerance for
   * floating-point kinds.
   *
   * @param a one output
   * @param b another output
   * @return true if they agree
   */
  default boolean equivalent(O a, O b) {
    return a.equals(b);
  }

  /**
   * The kind's splitter, if large inputs can be split into chunks whose outputs merge back.
   *
   * @return the splitter or empty
   */
  default Optional<Splitter<I, O>> splitter() {
    return Optional.empty();
  }

  /**
   * The kind's checkpoint support, if an interrupted task can resume from saved state.
   *
   * @return the resumer or empty
   */
  default Optional<Resumer<I>> resumer() {
    return Optional.empty();
  }

  /**
   * The outcome of a cheap check.
   *
   * @since 0.1.0
   */
  enum Verdict {
    /** The output is certainly right. */
    CONFIRMED,
    /** The output is certainly wrong. */
    REFUTED,
    /** The check cannot tell; another verification method must decide. */
    UNCHECKED
  }

  /**
   * Splits an input into chunks and merges the chunks' outputs, such as a frame into tiles or a
   * nonce range into sub-ranges. Thread-safe and non-blocking.
   *
   * @param <I> the input type
   * @param <O> the output type
   * @since 0.1.0
   */
  interface Splitter<I, O> {
    /**
     * Splits an input.
     *
     * @param input a valid input
     * @param maxChunks the most chunks wanted, &gt;= 1
     * @return 1 to {@code maxChunks} valid inputs that together cover the input
     */
    List<I> split(I input, int maxChunks);

    /**
     * Merges chunk outputs, in the order {@link #split} returned the chunks.
     *
     * @param input the original input
     * @param parts the chunks' outputs
     * @return the output for the whole input
     */
    O merge(I input, List<O> parts);
  }

  /**
   * Resumes a task from a checkpoint that an executor saved while running it. Thread-safe and
   * non-blocking.
   *
   * @param <I> the input type
   * @since 0.1.0
   */
  interface Resumer<I> {
    /**
     * The input that continues the work from a checkpoint: for example the rest of a nonce range
     * with the best result so far carried along.
     *
     * @param input the original input
     * @param checkpoint what the executor saved
     * @return an input whose output is the output of the original input
     * @throws PoolException INVALID_ARGUMENT if the checkpoint is malformed
     */
    I resume(I input, Bytes checkpoint);
  }
}
