package io.poolforge.compute.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * An ordered set of non-negative {@code long} ids, for ids that are dense (handed out in increasing
 * blocks), as task ids are.
 *
 * <p>The ids are bits in chunks of {@value #CHUNK_SIZE}: each chunk is an array of 64 words plus a
 * count of its set bits, and the chunks sit in a sorted map keyed by {@code id >>> 12}. An add,
 * remove or contains touches one word with one atomic operation and the chunk's count, and finds
 * its chunk in the sorted map (or in a one-entry cache of the chunk that last took an add); the map
 * itself changes once per {@value #CHUNK_SIZE} ids. Ordered iteration reads a word at a time and
 * skips empty words and missing chunks.
 *
 * <p>A chunk whose last id is removed is dropped (retired), so that ids added and removed in order
 * leave a bounded number of chunks behind however long the run. To keep a set whose only ids come
 * and go in one chunk from dropping and re-creating it on every operation, the chunk that took the
 * most recent add is kept while empty, and dropped when adds move to another chunk. Dropping is
 * race-free: a chunk's count includes adders that are about to set a bit, a chunk is retired by
 * swapping its count from 0 to a negative value, and an adder that finds its chunk retired fetches
 * or creates its successor.
 *
 * <p>Thread-safe: any number of threads may add and remove concurrently; readers take no lock. Does
 * not block. Iterators are weakly consistent, like those of {@code java.util.concurrent}: they
 * return ids in strictly increasing order, never throw {@code ConcurrentModificationException},
 * return every id present from the iterator's creation to the end of the iteration, and may or may
 * not return ids added or removed meanwhile.
 *
 * @since 0.1.0
 */
public final class ConcurrentIdSet {
  /** Ids per chunk. */
  static final int CHUNK_SIZE = 1 << 12;

  private static final int CHUNK_SHIFT = 12;
  private static final int WORDS = CHUNK_SIZE / 64;
  // a chunk's count once retired; adders increment it, which keeps it negative
  private static final int RETIRED = Integer.MIN_VALUE;
  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle COUNT;
  private static final VarHandle RECENT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      COUNT = lookup.findVarHandle(Chunk.class, "count", int.class);
      RECENT = lookup.findVarHandle(ConcurrentIdSet.class, "recent", Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentSkipListMap<Long, Chunk> chunks = new ConcurrentSkipListMap<>();
  // the chunk that took the most recent add: a lookup cache, and kept while empty (see above)
  private volatile @Nullable Chunk recent;

  /** Creates an empty set. */
  public ConcurrentIdSet() {}

  /**
   * Adds an id.
   *
   * @param id the id, at least 0
   * @return true if the id was not in the set
   * @throws IllegalArgumentException if {@code id} is negative
   */
  public boolean add(long id) {
    checkId(id);
    long key = id >>> CHUNK_SHIFT;
    Chunk c = reserve(key);
    long bit = 1L << id;
    int w = word(id);
    long old = (long) WORD.getAndBitwiseOr(c.words, w, bit);
    if ((old & bit) != 0) {
      release(c); // already there: the reservation does not become a bit
      return false;
    }
    return true;
  }

  /**
   * Removes an id.
   *
   * @param id the id, at least 0
   * @return true if the id was in the set
   * @throws IllegalArgumentException if {@code id} is negative
   */
  public boolean remove(long id) {
    checkId(id);
    long key = id >>> CHUNK_SHIFT;
    long bit = 1L << id;
    int w = word(id);
    Chunk c = find(key);
    if (c != null && ((long) WORD.getAndBitwiseAnd(c.words, w, ~bit) & bit) != 0) {
      release(c);
      return true;
    }
    return false;
  }

  /**
   * Whether an id is in the set.
   *
   * @param id the id, at least 0
   * @return true if it is
   * @throws IllegalArgumentException if {@code id} is negative
   */
  public boolean contains(long id) {
    checkId(id);
    long key = id >>> CHUNK_SHIFT;
    long bit = 1L << id;
    int w = word(id);
    Chunk c = find(key);
    return c != null && ((long) WORD.getVolatile(c.words, w) & bit) != 0;
  }

  /**
   * Whether the set has no id (a snapshot; concurrent changes may make it stale at once).
   *
   * @return true if no id is in the set
   */
  public boolean isEmpty() {
    return !after(-1).hasNext();
  }

  /**
   * The ids greater than {@code after}, in increasing order (weakly consistent, see the class
   * description). The iterator does not support removal: call {@link #remove} instead, which is
   * safe during an iteration.
   *
   * @param after the bound, exclusive; a negative value iterates over every id
   * @return an iterator that is not thread-safe itself
   */
  public PrimitiveIterator.OfLong after(long after) {
    return new Ids(after);
  }

  /** The number of chunks held, including empty ones not yet dropped (for tests). */
  int chunkCount() {
    return chunks.size();
  }

  private static void checkId(long id) {
    if (id < 0) {
      throw new IllegalArgumentException("id must be >= 0, was " + id);
    }
  }

  private static int word(long id) {
    return (int) (id >>> 6) & (WORDS - 1);
  }

  /**
   * The chunk for {@code key} if there is one. It may be retired by the time the caller reads it,
   * which is harmless: while an id is in the set its chunk cannot retire, and a retired chunk is
   * replaced (and becomes the recent one) only after it is unmapped, so a chunk found live holds
   * every id of its range that stays in the set until it is read, and a chunk found retired means
   * that no id of its range was in the set at that moment.
   */
  private @Nullable Chunk find(long key) {
    Chunk r = recent;
    return r != null && r.key == key ? r : chunks.get(key);
  }

  /** The live chunk for {@code key}, created if needed, with one reservation taken on its count. */
  private Chunk reserve(long key) {
    Chunk c = recent;
    if (c != null && c.key == key && (int) COUNT.getAndAdd(c, 1) >= 0) {
      return c;
    }
    while (true) {
      c = chunks.get(key);
      if (c == null) {
        Chunk fresh = new Chunk(key, 1);
        c = chunks.putIfAbsent(key, fresh);
        if (c == null) {
          c = fresh;
          break;
        }
      }
      if ((int) COUNT.getAndAdd(c, 1) >= 0) {
        break;
      }
      chunks.remove(key, c); // retired but still mapped: help its remover, then retry
    }
    if (recent != c) {
      Chunk prev = (Chunk) RECENT.getAndSet(this, c);
      if (prev != null && prev != c) {
        retireIfEmpty(prev);
      }
    }
    return c;
  }

  /** Gives back one unit of a chunk's count (a removed bit or an unused reservation). */
  private void release(Chunk c) {
    if ((int) COUNT.getAndAdd(c, -1) == 1 && recent != c) {
      // While c is the recent chunk it stays; the adder that displaces it checks its count then.
      retireIfEmpty(c);
    }
  }

  private void retireIfEmpty(Chunk c) {
    if (COUNT.compareAndSet(c, 0, RETIRED)) {
      chunks.remove(c.key, c);
    }
  }

  /** One chunk: {@value #CHUNK_SIZE} ids as bits, and a count of set bits plus reservations. */
  private static final class Chunk {
    final long key;
    final long[] words = new long[WORDS];
    // set bits + adders about to set one; RETIRED (negative) once dropped
    volatile int count;

    Chunk(long key, int count) {
      this.key = key;
      this.count = count;
    }
  }

  /** A weakly consistent iterator: one chunk and one word at a time. */
  private final class Ids implements PrimitiveIterator.OfLong {
    private @Nullable Chunk chunk;
    private int word;
    private long bits;
    private long last; // the last id returned (or the bound): every id returned is above it
    private boolean pending;
    private boolean done;

    Ids(long after) {
      this.last = Math.max(after, -1);
      this.word = WORDS;
      if (after == Long.MAX_VALUE) {
        done = true;
      }
    }

    @Override
    public boolean hasNext() {
      if (pending) {
        return true;
      }
      if (done) {
        return false;
      }
      while (true) {
        if (bits != 0) {
          long id =
              (chunk.key << CHUNK_SHIFT) + ((long) word << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          if (id > last) {
            last = id;
            pending = true;
            return true;
          }
        } else if (word + 1 < WORDS) {
          bits = (long) WORD.getVolatile(chunk.words, ++word);
        } else if (!nextChunk()) {
          done = true;
          return false;
        }
      }
    }

    private boolean nextChunk() {
      long from = last + 1; // the smallest id still wanted
      Map.Entry<Long, Chunk> e =
          chunk == null ? chunks.ceilingEntry(from >>> CHUNK_SHIFT) : chunks.higherEntry(chunk.key);
      if (e == null) {
        return false;
      }
      Chunk c = e.getValue();
      chunk = c;
      if (c.key == from >>> CHUNK_SHIFT) {
        word = word(from);
        bits = (long) WORD.getVolatile(c.words, word) & (-1L << from);
      } else {
        word = 0;
        bits = (long) WORD.getVolatile(c.words, 0);
      }
      return true;
    }

    @Override
    public long nextLong() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      pending = false;
      return last;
    }
  }
}
