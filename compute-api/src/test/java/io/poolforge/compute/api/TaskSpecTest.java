package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.verify.VerificationSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskSpecTest {
  private static final Bytes P = Bytes.fromHex("00");

  @Test
  void builderAppliesDefaults() {
    TaskSpec s = TaskSpec.builder("sha256", P).build();
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
    assertThat(s.submitter()).isEqualTo("default");
    assertThat(s.requirements()).isEqualTo(Requirements.ANY);
    assertThat(s.deadline()).isNull();
    assertThat(s.verification()).isNull();
    assertThat(s.maxAttempts()).isEqualTo(TaskSpec.DEFAULT_MAX_ATTEMPTS);
    assertThat(s.labels()).isEmpty();
  }

  @Test
  void builderSetsEverythingOnce() {
    TaskSpec s =
        TaskSpec.builder("render", P)
            .priority(Priority.HIGH)
            .submitter("studio-a")
            .requirements(new Requirements(Set.of("cuda"), 1 << 30, Set.of("eu"), true))
            .deadline(Duration.ofSeconds(30))
            .verification(VerificationSpec.quorum(2, 3))
            .maxAttempts(3)
            .labels(Map.of("frame", "12"))
            .build();
    assertThat(s.priority()).isEqualTo(8);
    assertThat(s.requirements().backends()).containsExactly("cuda");
    assertThat(s.verification().quorum()).isEqualTo(2);
    assertThat(s.labels()).containsEntry("frame", "12");
    var b = TaskSpec.builder("sha256", P).priority(1);
    assertThatThrownBy(() -> b.priority(2)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void labelsAreCopied() {
    var labels = new HashMap<String, String>();
    labels.put("a", "1");
    TaskSpec s = TaskSpec.builder("sha256", P).labels(labels).build();
    labels.put("b", "2");
    assertThat(s.labels()).hasSize(1);
  }

  @Test
  void eachFieldIsValidated() {
    assertInvalid("kind", () -> TaskSpec.builder("Bad Kind", P));
    assertInvalid("kind", () -> TaskSpec.builder("", P));
    assertInvalid("payload", () -> TaskSpec.builder("sha256", null));
    assertInvalid("priority", () -> TaskSpec.builder("sha256", P).priority(10));
    assertInvalid("submitter", () -> TaskSpec.builder("sha256", P).submitter("a b"));
    assertInvalid("deadline", () -> TaskSpec.builder("sha256", P).deadline(Duration.ZERO));
    assertInvalid("deadline", () -> TaskSpec.builder("sha256", P).deadline(Duration.ofSeconds(-1)));
    assertInvalid("maxAttempts", () -> TaskSpec.builder("sha256", P).maxAttempts(0));
    assertInvalid("maxAttempts", () -> TaskSpec.builder("sha256", P).maxAttempts(101));
    assertInvalid(
        "labels.key", () -> TaskSpec.builder("sha256", P).labels(Map.of("Bad Key", "v")).build());
    assertInvalid("labels.k", () -> TaskSpec.builder("sha256", P).labels(Map.of("k", " ")).build());
    var many = new HashMap<String, String>();
    for (int i = 0; i < 33; i++) {
      many.put("k" + i, "v");
    }
    assertInvalid("labels", () -> TaskSpec.builder("sha256", P).labels(many).build());
  }

  @Test
  void payloadLimitIsNamed() {
    Bytes big = Bytes.wrap(new byte[TaskSpec.MAX_PAYLOAD_BYTES + 1]);
    var e = assertInvalid("payload", () -> TaskSpec.builder("sha256", big).build());
    assertThat(e.getMessage()).contains(String.valueOf(TaskSpec.MAX_PAYLOAD_BYTES));
  }
}
