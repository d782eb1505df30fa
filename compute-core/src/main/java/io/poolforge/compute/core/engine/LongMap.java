package io.poolforge.compute.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A hash map from {@code long} keys to values, with open addressing and linear probing, so that a
 * lookup boxes no key and a mapping costs no entry object. The scheduler keeps each worker's leases
 * in one: they are looked up, added and removed once per task.
 *
 * <p>Removal shifts the entries that follow back into the gap, so the table never holds tombstones
 * and a long run of adds and removes does not slow lookups down. The table doubles at 50% load and
 * never shrinks, except through {@link #clear}.
 *
 * <p>Not thread-safe: the scheduler thread owns it. Never blocks.
 *
 * @param <V> the value type
 */
final class LongMap<V> {
  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private @Nullable Object[] values; // null marks a free slot
  private int size;
  private int mask;

  LongMap() {
    allocate(MIN_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }

  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: dense ids spread across the table
    return (int) (h ^ (h >>> 32));
  }

  private int slotOf(long key) {
    int i = spread(key) & mask;
    while (values[i] != null) {
      if (keys[i] == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1 - i; // not found: where it would go
  }

  /** The value mapped to {@code key}, or null. */
  @SuppressWarnings("unchecked")
  @Nullable V get(long key) {
    int i = slotOf(key);
    return i >= 0 ? (V) values[i] : null;
  }

  /** Maps {@code key} to {@code value} and returns the value it replaced, or null. */
  @SuppressWarnings("unchecked")
  @Nullable V put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    int i = slotOf(key);
    if (i >= 0) {
      V old = (V) values[i];
      values[i] = value;
      return old;
    }
    if (2 * (size + 1) > keys.length) {
      grow();
      i = slotOf(key);
    }
    int at = -1 - i;
    keys[at] = key;
    values[at] = value;
    size++;
    return null;
  }

  /** Removes the mapping of {@code key} and returns its value, or null if there was none. */
  @SuppressWarnings("unchecked")
  @Nullable V remove(long key) {
    int i = slotOf(key);
    if (i < 0) {
      return null;
    }
    V old = (V) values[i];
    size--;
    // Shift later entries of the probe run back into the gap, where their home slot allows it.
    int gap = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (values[j] == null) {
        break;
      }
      int home = spread(keys[j]) & mask;
      // the entry at j may move to gap unless its home lies cyclically in (gap, j]
      boolean stays = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
      if (!stays) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    values[gap] = null;
    return old;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        int at = -1 - slotOf(oldKeys[i]);
        keys[at] = oldKeys[i];
        values[at] = oldValues[i];
      }
    }
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** A copy of the values, in table order, safe to iterate while this map changes. */
  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (Object v : values) {
      if (v != null) {
        out.add((V) v);
      }
    }
    return out;
  }

  /** Hands each value to {@code action}, which must not change this map. */
  @SuppressWarnings("unchecked")
  void forEachValue(java.util.function.Consumer<? super V> action) {
    for (Object v : values) {
      if (v != null) {
        action.accept((V) v);
      }
    }
  }

  void clear() {
    if (keys.length > MIN_CAPACITY) {
      allocate(MIN_CAPACITY);
    } else {
      Arrays.fill(values, null);
    }
    size = 0;
  }
}
