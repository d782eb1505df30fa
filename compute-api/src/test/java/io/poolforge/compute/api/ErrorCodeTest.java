package io.poolforge.compute.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {
  @Test
  void onlyTransientCodesAreRetryable() {
    EnumSet<ErrorCode> retryable = EnumSet.noneOf(ErrorCode.class);
    for (ErrorCode c : ErrorCode.values()) {
      if (c.retryable()) {
        retryable.add(c);
      }
    }
    assertThat(retryable)
        .containsExactlyInAnyOrder(
            ErrorCode.UNAVAILABLE, ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void exceptionCarriesCodeFieldAndCause() {
    var cause = new IllegalStateException("disk");
    var e = new PoolException(ErrorCode.UNAVAILABLE, "store", "store is down", cause);
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.field()).isEqualTo("store");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).startsWith("UNAVAILABLE: ").contains("store is down");
  }

  @Test
  void invalidArgumentNamesTheField() {
    var e = PoolException.invalidArgument("priority", "is 12, must be in [0, 9]");
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo("priority");
    assertThat(e.getMessage()).contains("priority: is 12, must be in [0, 9]");
  }
}
