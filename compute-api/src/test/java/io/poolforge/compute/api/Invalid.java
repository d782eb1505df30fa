package io.poolforge.compute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that code is refused with INVALID_ARGUMENT naming a field. */
final class Invalid {
  private Invalid() {}

  static PoolException assertInvalid(String field, ThrowingCallable call) {
    PoolException e = catchThrowableOfType(PoolException.class, call);
    assertThat(e).as("expected a PoolException for field %s", field).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).contains(field);
    assertThat(e.retryable()).isFalse();
    return e;
  }
}
