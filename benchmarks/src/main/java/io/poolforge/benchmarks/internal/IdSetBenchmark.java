package io.poolforge.benchmarks.internal;

import io.poolforge.compute.core.internal.ConcurrentIdSet;
import java.util.Iterator;
import java.util.PrimitiveIterator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-memory store's per-state id indexes, {@link ConcurrentIdSet} against the {@link
 * ConcurrentSkipListSet} it replaced, on the store's pattern: a group of {@value #GROUP} new ids
 * (dense, increasing) is added to the QUEUED set, moved one by one to the RUNNING set, one ordered
 * page of {@value #PAGE} is read from each set, and the group leaves RUNNING (finished). {@code
 * backlog} ids wait in QUEUED throughout (a deep queue). Score: ids moved through per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdSetBenchmark {
  /** Ids per group (one invocation). */
  public static final int GROUP = 1_000;

  /** Ids per ordered page. */
  public static final int PAGE = 100;

  @Param({"idset", "skiplist"})
  public String impl;

  @Param({"0", "1000000"})
  public int backlog;

  private Index queued = new IdIndex();
  private Index running = new IdIndex();
  private long next;

  @Setup(Level.Trial)
  public void fill() {
    queued = create(impl);
    running = create(impl);
    next = 1;
    for (int i = 0; i < backlog; i++) {
      queued.add(next++);
    }
  }

  private static Index create(String impl) {
    return switch (impl) {
      case "idset" -> new IdIndex();
      case "skiplist" -> new SkipListIndex();
      default -> throw new IllegalArgumentException("impl: unknown '" + impl + "'");
    };
  }

  /** Add {@value #GROUP} ids, move them to the other set, page both sets, finish the group. */
  @Benchmark
  @OperationsPerInvocation(GROUP)
  public long addMovePageFinish() {
    long first = next;
    next += GROUP;
    for (long id = first; id < next; id++) {
      queued.add(id);
    }
    for (long id = first; id < next; id++) {
      queued.remove(id);
      running.add(id);
    }
    long sum = queued.page(first - GROUP / 2) + running.page(first + GROUP / 3);
    for (long id = first; id < next; id++) {
      running.remove(id);
    }
    return sum;
  }

  /** The three operations the store uses. */
  private interface Index {
    void add(long id);

    void remove(long id);

    /** Reads up to {@value #PAGE} ids above {@code after} in order; returns their sum. */
    long page(long after);
  }

  private static final class IdIndex implements Index {
    private final ConcurrentIdSet set = new ConcurrentIdSet();

    @Override
    public void add(long id) {
      set.add(id);
    }

    @Override
    public void remove(long id) {
      set.remove(id);
    }

    @Override
    public long page(long after) {
      long sum = 0;
      PrimitiveIterator.OfLong it = set.after(after);
      for (int n = 0; n < PAGE && it.hasNext(); n++) {
        sum += it.nextLong();
      }
      return sum;
    }
  }

  private static final class SkipListIndex implements Index {
    private final ConcurrentSkipListSet<Long> set = new ConcurrentSkipListSet<>();

    @Override
    public void add(long id) {
      set.add(id);
    }

    @Override
    public void remove(long id) {
      set.remove(id);
    }

    @Override
    public long page(long after) {
      long sum = 0;
      Iterator<Long> it = set.tailSet(after, false).iterator();
      for (int n = 0; n < PAGE && it.hasNext(); n++) {
        sum += it.next();
      }
      return sum;
    }
  }
}
