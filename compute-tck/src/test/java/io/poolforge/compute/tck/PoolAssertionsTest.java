package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskSpec;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PoolAssertionsTest {
  @Test
  void acceptsTheExpectedFailure() {
    PoolAssertions.assertInvalidArgument(
        "priority", () -> TaskSpec.builder("k", Bytes.EMPTY).priority(42));
  }

  @Test
  void unwrapsFutures() {
    var f =
        CompletableFuture.failedFuture(new PoolException(ErrorCode.UNAVAILABLE, "store is down"));
    PoolAssertions.assertFailsWith(ErrorCode.UNAVAILABLE, f::join);
  }

  @Test
  void rejectsAWrongCodeOrField() {
    assertThatThrownBy(
            () ->
                PoolAssertions.assertFailsWith(
                    ErrorCode.INTERNAL, () -> TaskSpec.builder("k", Bytes.EMPTY).priority(42)))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () ->
                PoolAssertions.assertInvalidArgument(
                    "kind", () -> TaskSpec.builder("k", Bytes.EMPTY).priority(42)))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> PoolAssertions.assertFailsWith(ErrorCode.INTERNAL, () -> {}))
        .isInstanceOf(AssertionError.class);
  }
}
