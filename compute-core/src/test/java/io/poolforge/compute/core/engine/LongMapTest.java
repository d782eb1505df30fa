package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongMapTest {

  @Test
  void randomOperationsAgreeWithAHashMap() {
    SplittableRandom random = new SplittableRandom(7);
    LongMap<String> map = new LongMap<>();
    Map<Long, String> oracle = new HashMap<>();
    for (int step = 0; step < 400_000; step++) {
      // a small key range, so removes hit and probe runs form, wrap around and shift back
      long key = random.nextInt(50) == 0 ? random.nextLong() : random.nextInt(2_000) - 100;
      switch (random.nextInt(4)) {
        case 0, 1 -> assertThat(map.put(key, "v" + step)).isEqualTo(oracle.put(key, "v" + step));
        case 2 -> assertThat(map.remove(key)).isEqualTo(oracle.remove(key));
        default -> assertThat(map.get(key)).isEqualTo(oracle.get(key));
      }
      assertThat(map.size()).isEqualTo(oracle.size());
      if (step % 50_000 == 0) {
        assertSame(map, oracle);
      }
    }
    assertSame(map, oracle);
  }

  @Test
  void removingEveryKeyOfALongRunLeavesEveryOtherReachable() {
    LongMap<Long> map = new LongMap<>();
    for (long k = 1; k <= 100_000; k++) {
      map.put(k, k);
    }
    for (long k = 1; k <= 100_000; k += 2) {
      assertThat(map.remove(k)).isEqualTo(k);
    }
    for (long k = 1; k <= 100_000; k++) {
      assertThat(map.get(k)).isEqualTo(k % 2 == 0 ? k : null);
    }
    assertThat(map.size()).isEqualTo(50_000);
  }

  @Test
  void zeroAndNegativeKeysAreKeysLikeAnyOther() {
    LongMap<String> map = new LongMap<>();
    map.put(0, "zero");
    map.put(-1, "minus one");
    map.put(Long.MIN_VALUE, "min");
    assertThat(map.get(0)).isEqualTo("zero");
    assertThat(map.get(-1)).isEqualTo("minus one");
    assertThat(map.get(Long.MIN_VALUE)).isEqualTo("min");
    assertThat(map.get(1)).isNull();
  }

  @Test
  void valuesIsACopyAndForEachSeesEveryValue() {
    LongMap<String> map = new LongMap<>();
    map.put(1, "a");
    map.put(2, "b");
    List<String> copy = map.values();
    map.remove(1);
    assertThat(copy).containsExactlyInAnyOrder("a", "b");
    List<String> seen = new ArrayList<>();
    map.forEachValue(seen::add);
    assertThat(seen).containsExactly("b");
  }

  @Test
  void clearEmptiesAndTheMapIsUsableAfter() {
    LongMap<String> map = new LongMap<>();
    for (long k = 0; k < 1_000; k++) {
      map.put(k, "x");
    }
    map.clear();
    assertThat(map.isEmpty()).isTrue();
    assertThat(map.get(5)).isNull();
    map.put(5, "y");
    assertThat(map.get(5)).isEqualTo("y");
  }

  @Test
  void nullValuesAreRefused() {
    LongMap<String> map = new LongMap<>();
    assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
  }

  private static void assertSame(LongMap<String> map, Map<Long, String> oracle) {
    List<String> values = new ArrayList<>(map.values());
    List<String> expected = new ArrayList<>(oracle.values());
    Collections.sort(values);
    Collections.sort(expected);
    assertThat(values).isEqualTo(expected);
    oracle.forEach(
        (k, v) -> {
          if (!v.equals(map.get(k))) {
            throw new AssertionError("key " + k + ": expected " + v + ", got " + map.get(k));
          }
        });
  }
}
