package io.poolforge.compute.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksTest {
  @Test
  void nameScanAgreesWithThePattern() {
    String alphabet = "az09._-A Zé/\u0000";
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      int len = rnd.nextInt(0, 70);
      StringBuilder sb = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      assertThat(Checks.isName(s)).as("'%s'", s).isEqualTo(Checks.NAME.matcher(s).matches());
    }
    for (String s : new String[] {"", "a", "0", ".a", "_a", "-a", "a.b_c-d", "A", "a".repeat(64)}) {
      assertThat(Checks.isName(s)).as("'%s'", s).isEqualTo(Checks.NAME.matcher(s).matches());
    }
    assertThat(Checks.isName("a".repeat(65))).isFalse();
  }

  @Test
  void badNameNamesTheFieldAndTheRule() {
    assertThatThrownBy(() -> Checks.name("spec.kind", "Sha256"))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("spec.kind")
        .hasMessageContaining("1-64 characters");
    assertThatThrownBy(() -> Checks.name("spec.kind", null))
        .hasMessageContaining("must not be null");
  }
}
