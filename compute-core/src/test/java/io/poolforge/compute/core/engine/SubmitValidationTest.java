package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.TestKinds;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input is refused with INVALID_ARGUMENT naming the field; the pool stays as it was. */
class SubmitValidationTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final Pool pool =
      Coordinator.builder().kind(echo).maxPayloadBytes(64).maxQueuedTasks(10).build();

  @AfterEach
  void close() {
    pool.close();
  }

  private static void invalid(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).contains(field);
            });
  }

  private static TaskSpec echoSpec(long v) {
    return TaskSpec.builder("echo", TestKinds.LONG.encode(v)).build();
  }

  @Test
  void unknownKind() {
    invalid(() -> pool.submit(TaskSpec.builder("nope", Bytes.EMPTY).build()), "kind");
    assertThatThrownBy(() -> pool.submit(TaskSpec.builder("nope", Bytes.EMPTY).build()))
        .hasMessageContaining("'nope' is not registered")
        .hasMessageContaining("[echo]");
  }

  @Test
  void oversizedPayloadNamesTheLimit() {
    invalid(
        () -> pool.submit(TaskSpec.builder("echo", Bytes.wrap(new byte[65])).build()), "payload");
    assertThatThrownBy(
            () -> pool.submit(TaskSpec.builder("echo", Bytes.wrap(new byte[65])).build()))
        .hasMessageContaining("65 bytes, the limit is 64");
  }

  @Test
  void undecodableOrInvalidPayload() {
    invalid(
        () -> pool.submit(TaskSpec.builder("echo", Bytes.wrap(new byte[3])).build()), "payload");
    invalid(() -> pool.submit(echoSpec(-5)), "payload");
  }

  @Test
  void badPriorityAttemptsAndSubmitter() {
    invalid(() -> TaskSpec.builder("echo", Bytes.EMPTY).priority(10), "priority");
    invalid(() -> TaskSpec.builder("echo", Bytes.EMPTY).priority(-1), "priority");
    invalid(() -> TaskSpec.builder("echo", Bytes.EMPTY).maxAttempts(0), "maxAttempts");
    invalid(() -> TaskSpec.builder("echo", Bytes.EMPTY).submitter("no spaces"), "submitter");
  }

  @Test
  void submitAllNamesTheBadIndexAndAcceptsNothing() {
    List<TaskSpec> specs = new ArrayList<>(List.of(echoSpec(1), echoSpec(2)));
    specs.add(TaskSpec.builder("nope", Bytes.EMPTY).build());
    invalid(() -> pool.submitAll(specs), "specs[2].kind");
    invalid(
        () -> pool.submitAll(List.of(echoSpec(1), TaskSpec.builder("echo", Bytes.EMPTY).build())),
        "specs[1].payload");
    assertThat(pool.query(TaskState.QUEUED, null, 100).items()).isEmpty();
    // the refused batches took no room: all 10 slots are still free
    assertThat(pool.submitAll(nEcho(10))).hasSize(10);
  }

  @Test
  void nullsAndQueryArguments() {
    invalid(() -> pool.submit((TaskSpec) null), "spec");
    invalid(() -> pool.submitAll(null), "specs");
    invalid(() -> pool.query(TaskState.QUEUED, "not-a-cursor", 10), "cursor");
    invalid(() -> pool.query(TaskState.QUEUED, null, 0), "limit");
    invalid(() -> pool.query(null, null, 10), "state");
    assertThatThrownBy(() -> pool.status(new TaskId(12345)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> pool.cancel(new TaskId(12345)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void fullQueueIsResourceExhaustedNeverOom() {
    List<TaskHandle> first = pool.submitAll(nEcho(8));
    assertThatThrownBy(() -> pool.submitAll(nEcho(3)))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("maxQueuedTasks", "limit of 10");
            });
    pool.submit(echoSpec(1));
    pool.submit(echoSpec(2));
    assertThatThrownBy(() -> pool.submit(echoSpec(3)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
    // cancelling frees room
    assertThat(pool.cancel(first.get(0).id())).isTrue();
    pool.submit(echoSpec(4));
  }

  @Test
  void cancelQueuedTask() throws Exception {
    TaskHandle h = pool.submit(echoSpec(1));
    assertThat(h.accepted().get()).isEqualTo(h.id());
    assertThat(pool.cancel(h.id())).isTrue();
    assertThat(pool.cancel(h.id())).isFalse();
    assertThatThrownBy(() -> h.result().join())
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
    TaskStatus s = pool.status(h.id());
    assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(pool.query(TaskState.CANCELLED, null, 10).items())
        .extracting(TaskStatus::id)
        .contains(h.id());
  }

  @Test
  void queryPagesByCursorOldestFirst() {
    List<TaskHandle> handles = pool.submitAll(nEcho(7));
    var page1 = pool.query(TaskState.QUEUED, null, 3);
    assertThat(page1.items())
        .extracting(TaskStatus::id)
        .containsExactly(handles.get(0).id(), handles.get(1).id(), handles.get(2).id());
    var page2 = pool.query(TaskState.QUEUED, page1.nextCursor(), 3);
    var page3 = pool.query(TaskState.QUEUED, page2.nextCursor(), 3);
    assertThat(page3.items()).extracting(TaskStatus::id).containsExactly(handles.get(6).id());
    assertThat(page3.nextCursor()).isNull();
  }

  @Test
  void closedPoolRefusesWithUnavailable() {
    TaskHandle h = pool.submit(echoSpec(1));
    pool.close();
    assertThatThrownBy(() -> pool.submit(echoSpec(1)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThatThrownBy(() -> h.result().join())
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void builderRefusesSettingTwiceAndBadValues() {
    assertThatThrownBy(() -> Coordinator.builder().maxBatch(5).maxBatch(6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxBatch");
    invalid(() -> Coordinator.builder().maxQueuedTasks(0), "maxQueuedTasks");
    invalid(() -> Coordinator.builder().build(), "kinds");
    invalid(() -> Coordinator.builder().meterRegistry("not a registry"), "meterRegistry");
    assertThatThrownBy(() -> Coordinator.builder().kind(echo).kind(new TestKinds.Echo()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static List<TaskSpec> nEcho(int n) {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(echoSpec(i));
    }
    return specs;
  }
}
