package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.util.List;

/**
 * The input of the {@code sha256} kind: a batch of messages to hash.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messages 1 to {@value #MAX_MESSAGES} messages of at most {@value #MAX_MESSAGE_BYTES} bytes
 *     each and at most {@value #MAX_TOTAL_BYTES} bytes together
 * @since 0.1.0
 */
public record Sha256Input(List<Bytes> messages) {
  /** The most messages in one batch. */
  public static final int MAX_MESSAGES = 65_536;

  /** The largest message, 1 MiB. */
  public static final int MAX_MESSAGE_BYTES = 1 << 20;

  /** The most bytes in one batch, 32 MiB, so a batch fits a task payload. */
  public static final int MAX_TOTAL_BYTES = 32 << 20;

  /** Validates the limits and copies the list. */
  public Sha256Input {
    if (messages == null) {
      throw PoolException.invalidArgument("sha256.messages", "must not be null");
    }
    checkCount(messages.size());
    messages = List.copyOf(messages);
    long total = 0;
    for (int i = 0; i < messages.size(); i++) {
      checkMessage(i, messages.get(i).size());
      total += messages.get(i).size();
    }
    if (total > MAX_TOTAL_BYTES) {
      throw PoolException.invalidArgument(
          "sha256.messages",
          "hold " + total + " bytes together, the limit is " + MAX_TOTAL_BYTES + " bytes (32 MiB)");
    }
  }

  /**
   * A batch of the given messages.
   *
   * @param messages the messages
   * @return the input
   */
  public static Sha256Input of(Bytes... messages) {
    return new Sha256Input(List.of(messages));
  }

  static void checkCount(long count) {
    if (count < 1 || count > MAX_MESSAGES) {
      throw PoolException.invalidArgument(
          "sha256.messages",
          "has " + count + " messages, must have 1 to " + MAX_MESSAGES + " (non-empty batch)");
    }
  }

  static void checkMessage(int index, long size) {
    if (size > MAX_MESSAGE_BYTES) {
      throw PoolException.invalidArgument(
          "sha256.messages[" + index + "]",
          "is " + size + " bytes, the limit is " + MAX_MESSAGE_BYTES + " bytes (1 MiB)");
    }
  }
}
