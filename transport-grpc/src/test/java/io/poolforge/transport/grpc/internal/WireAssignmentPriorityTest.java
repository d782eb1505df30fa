package io.poolforge.transport.grpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.LeaseRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An assignment's priority on the wire: field 6 of poolforge.v1.Assignment. */
class WireAssignmentPriorityTest {
  private final PayloadCodec codec = PayloadCodec.inlineOnly(1 << 20);

  private static Assignment assignment(int priority) {
    return new Assignment(
        new LeaseRef(new TaskId(8), 1),
        "sha256",
        Bytes.fromHex("00"),
        Instant.parse("2030-01-01T00:00:00Z"),
        null,
        priority);
  }

  @Test
  void thePriorityTravelsAndAnOldSenderMeansNormal() {
    for (int p = Priority.MIN; p <= Priority.MAX; p++) {
      assertThat(Wire.assignment(Wire.assignment(assignment(p), codec), codec).priority())
          .isEqualTo(p);
    }
    var old = Wire.assignment(assignment(Priority.MAX), codec).toBuilder().clearPriority().build();
    assertThat(Wire.assignment(old, codec).priority()).isEqualTo(Priority.NORMAL);
  }

  @Test
  void anOutOfRangePriorityIsAnInvalidArgument() {
    var bad = Wire.assignment(assignment(1), codec).toBuilder().setPriority(10).build();
    assertThatThrownBy(() -> Wire.assignment(bad, codec))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("priority", "[0, 9]");
            });
  }
}
