package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;

/**
 * Assertions every contract suite shares: that an operation fails with a {@link PoolException} of
 * the expected code, naming the expected field, and that the code's retryability is right.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class PoolAssertions {
  private PoolAssertions() {}

  /**
   * Asserts that {@code call} throws (or completes a future with) a {@link PoolException} of {@code
   * code}.
   *
   * @param code the expected code
   * @param call the operation
   * @return the exception, for further checks
   */
  public static PoolException assertFailsWith(ErrorCode code, ThrowingCallable call) {
    Throwable t = unwrap(catchThrowable(call));
    assertThat(t).as("expected a PoolException with %s", code).isInstanceOf(PoolException.class);
    PoolException e = (PoolException) t;
    assertThat(e.code()).as("error code of: %s", e.getMessage()).isEqualTo(code);
    assertThat(e.retryable()).isEqualTo(code.retryable());
    return e;
  }

  /**
   * Asserts that {@code call} is refused as INVALID_ARGUMENT and that the error names {@code
   * field}, both in {@link PoolException#field()} (when set) and in the message.
   *
   * @param field the field the message must name
   * @param call the operation
   * @return the exception
   */
  public static PoolException assertInvalidArgument(String field, ThrowingCallable call) {
    PoolException e = assertFailsWith(ErrorCode.INVALID_ARGUMENT, call);
    assertThat(e.getMessage()).as("the message names the field").contains(field);
    if (e.field() != null) {
      assertThat(e.field()).isEqualTo(field);
    }
    return e;
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
