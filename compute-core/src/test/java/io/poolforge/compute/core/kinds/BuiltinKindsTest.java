package io.poolforge.compute.core.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.TaskKind;
import org.junit.jupiter.api.Test;

class BuiltinKindsTest {
  @Test
  void listsTheFourKindsById() {
    assertThat(BuiltinKinds.all())
        .extracting(TaskKind::id)
        .containsExactly("sha256", "pow", "modexp", "render");
    for (TaskKind<?, ?> k : BuiltinKinds.all()) {
      assertThat(BuiltinKinds.byId(k.id())).containsSame(k);
      assertThat(k.id()).matches("[a-z0-9][a-z0-9._-]{0,63}");
    }
    assertThat(BuiltinKinds.byId("nope")).isEmpty();
    assertThat(BuiltinKinds.modexp().montgomeryOnly()).isTrue();
    assertThat(ModExpKind.general().montgomeryOnly()).isFalse();
    assertThat(ModExpKind.general().id()).isEqualTo("modexp-general");
    assertThat(BuiltinKinds.pow().splitter()).isPresent();
    assertThat(BuiltinKinds.pow().resumer()).isPresent();
    assertThat(BuiltinKinds.render().splitter()).isPresent();
    assertThat(BuiltinKinds.render().exactOutputs()).isFalse();
    assertThat(BuiltinKinds.sha256().exactOutputs()).isTrue();
  }
}
