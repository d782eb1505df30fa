package io.poolforge.compute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentIdSetTest {
  private static final int CHUNK = ConcurrentIdSet.CHUNK_SIZE;

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<Long> list(PrimitiveIterator.OfLong it) {
    List<Long> out = new ArrayList<>();
    it.forEachRemaining((long id) -> out.add(id));
    return out;
  }

  private static void assertSame(ConcurrentIdSet set, NavigableSet<Long> oracle) {
    assertThat(list(set.after(-1))).containsExactlyElementsOf(oracle);
  }

  @Test
  void randomOperationsMatchATreeSet() {
    SplittableRandom rnd = new SplittableRandom(42);
    ConcurrentIdSet set = new ConcurrentIdSet();
    TreeSet<Long> oracle = new TreeSet<>();
    // ids in a few dense regions around chunk boundaries, plus sparse far ones
    long[] bases = {0, CHUNK - 100, 5L * CHUNK - 50, 1L << 40, Long.MAX_VALUE - 300};
    for (int op = 0; op < 200_000; op++) {
      long base = bases[rnd.nextInt(bases.length)];
      long id = base + rnd.nextInt(300);
      switch (rnd.nextInt(7)) {
        case 0, 1, 2 -> assertThat(set.add(id)).isEqualTo(oracle.add(id));
        case 3, 4 -> assertThat(set.remove(id)).isEqualTo(oracle.remove(id));
        case 5 -> assertThat(set.contains(id)).isEqualTo(oracle.contains(id));
        default -> {
          long from = rnd.nextInt(10) == 0 ? -1 : id - rnd.nextInt(20);
          PrimitiveIterator.OfLong it = set.after(from);
          int n = 0;
          for (Long expected : oracle.tailSet(from, false)) {
            if (n++ == 50) {
              break;
            }
            assertThat(it.hasNext()).isTrue();
            assertThat(it.nextLong()).isEqualTo(expected);
          }
          if (n <= 50) {
            assertThat(it.hasNext()).isFalse();
          }
        }
      }
      assertThat(set.isEmpty()).isEqualTo(oracle.isEmpty());
    }
    assertSame(set, oracle);
    for (long id : oracle) {
      assertThat(set.remove(id)).isTrue();
    }
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.chunkCount()).isLessThanOrEqualTo(1);
  }

  @Test
  void iteratesAcrossChunkBoundariesFromAnyPoint() {
    ConcurrentIdSet set = new ConcurrentIdSet();
    long[] ids = {
      0, 1, 63, 64, CHUNK - 1, CHUNK, CHUNK + 1, 2L * CHUNK - 1, 7L * CHUNK, Long.MAX_VALUE
    };
    TreeSet<Long> oracle = new TreeSet<>();
    for (long id : ids) {
      assertThat(set.add(id)).isTrue();
      oracle.add(id);
    }
    assertThat(set.add(CHUNK)).isFalse();
    for (long from : new long[] {-5, -1, 0, 62, 63, CHUNK - 2, CHUNK - 1, CHUNK, 3L * CHUNK}) {
      assertThat(list(set.after(from)))
          .as("after %d", from)
          .containsExactlyElementsOf(oracle.tailSet(from, false));
    }
    assertThat(list(set.after(Long.MAX_VALUE - 1))).containsExactly(Long.MAX_VALUE);
    assertThat(list(set.after(Long.MAX_VALUE))).isEmpty();
    PrimitiveIterator.OfLong it = set.after(7L * CHUNK);
    assertThat(it.nextLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::nextLong).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void refusesNegativeIds() {
    ConcurrentIdSet set = new ConcurrentIdSet();
    assertThatThrownBy(() -> set.add(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id must be >= 0");
    assertThatThrownBy(() -> set.remove(Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.contains(-7)).isInstanceOf(IllegalArgumentException.class);
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.chunkCount()).isZero();
  }

  @Test
  void iteratorSeesIdsRemovedDuringIterationOnlyIfStillThereAndNeverTwice() {
    ConcurrentIdSet set = new ConcurrentIdSet();
    for (long id = 1; id <= 3 * CHUNK; id++) {
      set.add(id);
    }
    PrimitiveIterator.OfLong it = set.after(0);
    List<Long> seen = new ArrayList<>();
    while (it.hasNext()) {
      long id = it.nextLong();
      seen.add(id);
      if (id == 10) {
        // empty the next two chunks (they are dropped) and put back a few ids, some below 10
        for (long x = 11; x <= 3 * CHUNK; x++) {
          set.remove(x);
        }
        set.add(5);
        set.add(2L * CHUNK + 3);
      }
    }
    // 11..63 were in the word already read when they were removed: they may or may not show
    assertThat(seen).doesNotHaveDuplicates().isSorted();
    assertThat(seen.stream().filter(id -> id < 11 || id > 63))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 2L * CHUNK + 3);
  }

  @Test
  void addingAndRemovingTenMillionIdsInOrderLeavesConstantChunks() {
    ConcurrentIdSet set = new ConcurrentIdSet();
    int window = 1_000;
    int maxChunks = 0;
    for (long id = 1; id <= 10_000_000; id++) {
      set.add(id);
      if (id > window) {
        set.remove(id - window);
      }
      if ((id & 0xFFFF) == 0) {
        maxChunks = Math.max(maxChunks, set.chunkCount());
      }
    }
    for (long id = 10_000_000 - window + 1; id <= 10_000_000; id++) {
      assertThat(set.remove(id)).isTrue();
    }
    assertThat(maxChunks).isLessThanOrEqualTo(3);
    assertThat(set.chunkCount()).isLessThanOrEqualTo(1);
    assertThat(set.isEmpty()).isTrue();
  }

  @Test
  void emptiedChunksAreDroppedOnceAddsMoveOn() {
    ConcurrentIdSet set = new ConcurrentIdSet();
    for (long id = 0; id < 4L * CHUNK; id++) {
      set.add(id);
    }
    assertThat(set.chunkCount()).isEqualTo(4);
    for (long id = 0; id < 4L * CHUNK; id++) {
      set.remove(id);
    }
    // the chunk of the last add stays while empty
    assertThat(set.chunkCount()).isEqualTo(1);
    set.add(10L * CHUNK);
    assertThat(set.chunkCount()).isEqualTo(1);
    assertThat(list(set.after(-1))).containsExactly(10L * CHUNK);
    // one id coming and going in the recent chunk does not churn it
    for (int i = 0; i < 1_000; i++) {
      set.add(10L * CHUNK + 1);
      set.remove(10L * CHUNK + 1);
    }
    assertThat(set.chunkCount()).isEqualTo(1);
  }

  /**
   * Threads own disjoint ids spread over three chunks, few per chunk, so chunks empty and are
   * dropped while other threads add into them; each thread knows exactly which of its ids must be
   * in the set at the end. Readers meanwhile check that iteration stays strictly increasing.
   */
  @Test
  void concurrentAddsAndRemovesAcrossRetiringChunksKeepExactContent() throws Exception {
    int writers = 3;
    int idsPerThread = 6;
    long base = 9L * CHUNK;
    ConcurrentIdSet set = new ConcurrentIdSet();
    CyclicBarrier start = new CyclicBarrier(writers + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<TreeSet<Long>>> results = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int thread = t;
      results.add(
          pool.submit(
              () -> {
                long[] mine = new long[idsPerThread];
                for (int i = 0; i < idsPerThread; i++) {
                  // chunk i % 3, slot by thread: neighbours in one word and one chunk
                  mine[i] = base + (long) (i % 3) * CHUNK + CHUNK - 4 + thread + writers * (i / 3);
                }
                SplittableRandom rnd = new SplittableRandom(thread);
                TreeSet<Long> expected = new TreeSet<>();
                start.await();
                for (int op = 0; op < 300_000; op++) {
                  long id = mine[rnd.nextInt(idsPerThread)];
                  if (rnd.nextBoolean()) {
                    assertThat(set.add(id)).isEqualTo(expected.add(id));
                  } else {
                    assertThat(set.remove(id)).isEqualTo(expected.remove(id));
                  }
                  assertThat(set.contains(id)).isEqualTo(expected.contains(id));
                }
                return expected;
              }));
    }
    Future<Integer> reader =
        pool.submit(
            () -> {
              start.await();
              int scans = 0;
              while (writing.get()) {
                long prev = -1;
                PrimitiveIterator.OfLong it = set.after(base - 1);
                while (it.hasNext()) {
                  long id = it.nextLong();
                  assertThat(id).isGreaterThan(prev).isGreaterThanOrEqualTo(base);
                  prev = id;
                }
                scans++;
              }
              return scans;
            });
    TreeSet<Long> all = new TreeSet<>();
    for (Future<TreeSet<Long>> f : results) {
      all.addAll(f.get(60, TimeUnit.SECONDS));
    }
    writing.set(false);
    assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();
    assertSame(set, all);
    for (long id : all) {
      assertThat(set.remove(id)).isTrue();
    }
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.chunkCount()).isLessThanOrEqualTo(1);
  }

  /**
   * Threads add and remove the same few ids: the outcome per id is not fixed, but every successful
   * add and remove is counted, so the final content must be exactly the ids with one more
   * successful add than removes.
   */
  @Test
  void contendedIdsBalanceSuccessfulAddsAndRemoves() throws Exception {
    int threads = 4;
    long base = 3L * CHUNK - 8; // 16 ids straddling a chunk boundary
    int span = 16;
    ConcurrentIdSet set = new ConcurrentIdSet();
    AtomicIntegerArray balance = new AtomicIntegerArray(span);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                SplittableRandom rnd = new SplittableRandom(100 + thread);
                start.await();
                for (int op = 0; op < 300_000; op++) {
                  int slot = rnd.nextInt(span);
                  if (rnd.nextBoolean()) {
                    if (set.add(base + slot)) {
                      balance.incrementAndGet(slot);
                    }
                  } else if (set.remove(base + slot)) {
                    balance.decrementAndGet(slot);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    TreeSet<Long> expected = new TreeSet<>();
    for (int slot = 0; slot < span; slot++) {
      assertThat(balance.get(slot)).isBetween(0, 1);
      if (balance.get(slot) == 1) {
        expected.add(base + slot);
      }
    }
    assertSame(set, expected);
    for (long id : expected) {
      set.remove(id);
    }
    set.add(100L * CHUNK); // adds move on: the emptied chunks go
    set.remove(100L * CHUNK);
    assertThat(set.chunkCount()).isEqualTo(1);
  }
}
