package io.poolforge.compute.core.kinds;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared assertions of the kinds tests. */
final class KindAssertions {
  private KindAssertions() {}

  /** Asserts INVALID_ARGUMENT naming {@code field} with a message containing {@code limit}. */
  static void assertInvalid(ThrowingCallable call, String field, String limit) {
    assertThatThrownBy(call)
        .isInstanceOf(PoolException.class)
        .satisfies(
            e -> {
              PoolException p = (PoolException) e;
              org.assertj.core.api.Assertions.assertThat(p.code())
                  .isEqualTo(ErrorCode.INVALID_ARGUMENT);
              org.assertj.core.api.Assertions.assertThat(p.field()).isEqualTo(field);
            })
        .hasMessageContaining(limit);
  }
}
