package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolforge.compute.api.store.TaskRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskRecordsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TaskId ID = new TaskId(1);
  private static final WorkerId W = new WorkerId("w");

  /** A codec and kind for tests only: UTF-8 strings, upper-cased. */
  static final TaskKind<String, String> UPPER =
      new TaskKind<>() {
        final Codec<String> utf8 =
            new Codec<>() {
              @Override
              public Bytes encode(String value) {
                return Bytes.wrap(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
              }

              @Override
              public String decode(Bytes bytes) {
                return new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
              }
            };

        @Override
        public String id() {
          return "upper";
        }

        @Override
        public Codec<String> inputCodec() {
          return utf8;
        }

        @Override
        public Codec<String> outputCodec() {
          return utf8;
        }

        @Override
        public void validate(String input) {
          if (input.length() > 10) {
            throw PoolException.invalidArgument("input", "length > 10");
          }
        }

        @Override
        public long costUnits(String input) {
          return 1 + input.length();
        }
      };

  @Test
  void taskStateTerminality() {
    assertThat(TaskState.COMPLETED.isTerminal()).isTrue();
    assertThat(TaskState.FAILED.isTerminal()).isTrue();
    assertThat(TaskState.CANCELLED.isTerminal()).isTrue();
    assertThat(TaskState.QUEUED.isTerminal()).isFalse();
    assertThat(TaskState.RUNNING.isTerminal()).isFalse();
    assertThat(TaskState.VERIFYING.isTerminal()).isFalse();
  }

  @Test
  void statusRequiresFailureExactlyWhenFailed() {
    var failure = new TaskStatus.Failure(ErrorCode.DEADLINE_EXCEEDED, "too slow");
    assertThat(
            new TaskStatus(ID, "upper", TaskState.FAILED, 5, "s", 1, T0, T0, null, failure)
                .failure())
        .isEqualTo(failure);
    assertInvalid(
        "failure",
        () -> new TaskStatus(ID, "upper", TaskState.FAILED, 5, "s", 1, T0, T0, null, null));
    assertInvalid(
        "failure",
        () -> new TaskStatus(ID, "upper", TaskState.QUEUED, 5, "s", 0, T0, T0, null, failure));
    assertInvalid(
        "priority",
        () -> new TaskStatus(ID, "upper", TaskState.QUEUED, 11, "s", 0, T0, T0, null, null));
    assertInvalid(
        "attempts",
        () -> new TaskStatus(ID, "upper", TaskState.QUEUED, 1, "s", -1, T0, T0, null, null));
    PoolException e = failure.toException();
    assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void resultDecodesWithItsKindOnly() {
    TaskResult r = new TaskResult(ID, "upper", UPPER.outputCodec().encode("ABC"), W, 1, T0);
    assertThat(r.output(UPPER)).isEqualTo("ABC");
    TaskKind<String, String> other =
        new TaskKind<>() {
          @Override
          public String id() {
            return "other";
          }

          @Override
          public Codec<String> inputCodec() {
            return UPPER.inputCodec();
          }

          @Override
          public Codec<String> outputCodec() {
            return UPPER.outputCodec();
          }

          @Override
          public void validate(String input) {}

          @Override
          public long costUnits(String input) {
            return 1;
          }
        };
    assertInvalid("taskKind", () -> r.output(other));
    assertInvalid("attempt", () -> new TaskResult(ID, "upper", Bytes.EMPTY, W, 0, T0));
    assertInvalid("worker", () -> new TaskResult(ID, "upper", Bytes.EMPTY, null, 1, T0));
  }

  @Test
  void kindDefaultsAreConservative() {
    assertThat(UPPER.cheapCheck("a", "A")).isEqualTo(TaskKind.Verdict.UNCHECKED);
    assertThat(UPPER.exactOutputs()).isTrue();
    assertThat(UPPER.equivalent("A", "A")).isTrue();
    assertThat(UPPER.equivalent("A", "B")).isFalse();
    assertThat(UPPER.splitter()).isEmpty();
    assertThat(UPPER.resumer()).isEmpty();
  }

  @Test
  void recordToStatus() {
    TaskSpec spec = TaskSpec.builder("upper", Bytes.fromHex("61")).priority(7).build();
    TaskStatus s = TaskRecord.queued(ID, spec, T0).toStatus();
    assertThat(s.state()).isEqualTo(TaskState.QUEUED);
    assertThat(s.priority()).isEqualTo(7);
    assertThat(s.attempts()).isZero();
    assertThat(s.submittedAt()).isEqualTo(T0);
  }

  @Test
  void pageLimits() {
    assertThat(Page.checkLimit(1)).isEqualTo(1);
    assertInvalid("limit", () -> Page.checkLimit(0));
    assertInvalid("limit", () -> Page.checkLimit(Page.MAX_LIMIT + 1));
    var items = new java.util.ArrayList<>(List.of(1, 2));
    Page<Integer> p = new Page<>(items, null);
    items.add(3);
    assertThat(p.items()).containsExactly(1, 2);
  }

  @Test
  void eventsValidate() {
    TaskResult r = new TaskResult(ID, "upper", Bytes.EMPTY, W, 1, T0);
    PoolEvent e = new PoolEvent.TaskCompleted(T0, r);
    String described =
        switch (e) {
          case PoolEvent.TaskCompleted c -> "completed " + c.result().id();
          case PoolEvent.TaskFailed f -> "failed";
          case PoolEvent.TaskVerified v -> "verified";
          case PoolEvent.VerificationFailed v -> "verification failed";
          case PoolEvent.WorkerJoined j -> "joined";
          case PoolEvent.WorkerLeft l -> "left";
          case PoolEvent.WorkerQuarantined q -> "quarantined";
          case PoolEvent.EpochClosed c -> "epoch";
          case PoolEvent.SettlementChanged s -> "settlement";
        };
    assertThat(described).isEqualTo("completed t-1");
    assertInvalid("at", () -> new PoolEvent.TaskCompleted(null, r));
    assertInvalid("epoch", () -> new PoolEvent.EpochClosed(T0, -1, Bytes.EMPTY, 0));
    PoolException npe =
        catchThrowableOfType(PoolException.class, () -> new PoolEvent.WorkerLeft(T0, W, null));
    assertThat(npe.field()).isEqualTo("reason");
  }
}
