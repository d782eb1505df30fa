package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void taskIdIsPositiveAndParses() {
    assertThat(new TaskId(42).toString()).isEqualTo("t-42");
    assertThat(TaskId.parse("t-42")).isEqualTo(new TaskId(42));
    assertThat(TaskId.parse("7")).isEqualTo(new TaskId(7));
    assertThat(new TaskId(1)).isLessThan(new TaskId(2));
    assertInvalid("taskId", () -> new TaskId(0));
    assertInvalid("taskId", () -> new TaskId(-5));
    assertInvalid("taskId", () -> TaskId.parse("t-x"));
    assertInvalid("taskId", () -> TaskId.parse(null));
  }

  @Test
  void workerIdHasALimitedAlphabetAndLength() {
    assertThat(new WorkerId("gpu-7.eu:a@b_c").value()).isEqualTo("gpu-7.eu:a@b_c");
    assertInvalid("workerId", () -> new WorkerId(""));
    assertInvalid("workerId", () -> new WorkerId("has space"));
    assertInvalid("workerId", () -> new WorkerId("x".repeat(129)));
    assertInvalid("workerId", () -> new WorkerId(null));
  }

  @Test
  void priorityRange() {
    assertThat(Priority.check(Priority.MIN)).isZero();
    assertThat(Priority.check(Priority.MAX)).isEqualTo(9);
    assertThat(Priority.LEVELS).isEqualTo(10);
    var e = assertInvalid("priority", () -> Priority.check(10));
    assertThat(e.getMessage()).contains("[0, 9]");
    assertInvalid("priority", () -> Priority.check(-1));
  }
}
