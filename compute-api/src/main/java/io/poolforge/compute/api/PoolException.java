package io.poolforge.compute.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type PoolForge throws or completes futures with. It carries an {@link
 * ErrorCode}, and for bad input the name of the field at fault, so callers can react without
 * parsing messages.
 *
 * <p>Instances are immutable once constructed and safe to share between threads.
 *
 * @since 0.1.0
 */
public class PoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final @Nullable String field;

  /**
   * Creates an exception.
   *
   * @param code the category; not null
   * @param message what went wrong, naming the field and limit where there is one
   */
  public PoolException(ErrorCode code, String message) {
    this(code, null, message, null);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param code the category
   * @param message what went wrong
   * @param cause the underlying failure, or null
   */
  public PoolException(ErrorCode code, String message, @Nullable Throwable cause) {
    this(code, null, message, cause);
  }

  /**
   * Creates an exception that names the field at fault.
   *
   * @param code the category
   * @param field the field, parameter or plugin at fault, or null
   * @param message what went wrong
   * @param cause the underlying failure, or null
   */
  public PoolException(
      ErrorCode code, @Nullable String field, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(code, "code") + ": " + Objects.requireNonNull(message), cause);
    this.code = code;
    this.field = field;
  }

  /**
   * An {@link ErrorCode#INVALID_ARGUMENT} error for {@code field}.
   *
   * @param field the field at fault, used as the message prefix
   * @param message the rule it broke, with the limit
   * @return the exception, to be thrown by the caller
   */
  public static PoolException invalidArgument(String field, String message) {
    return new PoolException(ErrorCode.INVALID_ARGUMENT, field, field + ": " + message, null);
  }

  /**
   * The error category.
   *
   * @return the code; never null
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * The field, parameter or plugin at fault, where one is known.
   *
   * @return the field name or null
   */
  public @Nullable String field() {
    return field;
  }

  /**
   * Whether retrying the same operation later may succeed; shorthand for {@code
   * code().retryable()}.
   *
   * @return true for transient failures
   */
  public boolean retryable() {
    return code.retryable();
  }
}
