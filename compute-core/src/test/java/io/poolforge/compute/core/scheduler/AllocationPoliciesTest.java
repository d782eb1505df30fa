package io.poolforge.compute.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.schedule.AllocationPolicy;
import io.poolforge.compute.api.schedule.Allocator;
import io.poolforge.compute.api.schedule.WorkerView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AllocationPoliciesTest {
  /** A worker view the test controls. */
  static final class FakeWorker implements WorkerView {
    final int index;
    int credit;
    int inFlight;
    double load;
    long memory = 1L << 30;
    double nanos;
    double credibility = 0.5;
    int picked;

    FakeWorker(int index, int credit) {
      this.index = index;
      this.credit = credit;
    }

    @Override
    public WorkerId id() {
      return new WorkerId("w" + index);
    }

    @Override
    public int index() {
      return index;
    }

    @Override
    public String owner() {
      return "o" + index;
    }

    @Override
    public int freeCredit() {
      return credit;
    }

    @Override
    public int inFlight() {
      return inFlight;
    }

    @Override
    public double load() {
      return load;
    }

    @Override
    public long freeDeviceMemoryBytes() {
      return memory;
    }

    @Override
    public double nanosPerTask(String kind) {
      return nanos;
    }

    @Override
    public double latencyNanos() {
      return 0;
    }

    @Override
    public double credibility(String kind) {
      return credibility;
    }
  }

  static Stream<AllocationPolicy> policies() {
    return Stream.of(
        AllocationPolicies.roundRobin(),
        AllocationPolicies.leastLoaded(),
        AllocationPolicies.powerOfTwoChoices(),
        AllocationPolicies.weightedScore());
  }

  private static List<FakeWorker> workers(Allocator a, int n, int credit) {
    List<FakeWorker> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeWorker w = new FakeWorker(i, credit);
      list.add(w);
      a.added(w);
    }
    return list;
  }

  private static FakeWorker place(Allocator a, java.util.function.Predicate<WorkerView> excluded) {
    FakeWorker w = (FakeWorker) a.pick("k", null, excluded);
    if (w != null) {
      w.credit--;
      w.inFlight++;
      w.picked++;
      a.changed(w);
    }
    return w;
  }

  @ParameterizedTest
  @MethodSource("policies")
  void placesOnlyOnWorkersWithCreditAndSpreadsEvenly(AllocationPolicy policy) {
    Allocator a = policy.newAllocator(7);
    List<FakeWorker> ws = workers(a, 100, 50);
    for (int i = 0; i < 2500; i++) {
      assertThat(place(a, w -> false)).isNotNull();
    }
    assertThat(ws).allSatisfy(w -> assertThat(w.credit).isGreaterThanOrEqualTo(0));
    double gini = gini(ws.stream().mapToInt(w -> w.picked).toArray());
    assertThat(gini).as(policy.name() + " Gini").isLessThanOrEqualTo(0.15);
    // drain all credit: then nothing can be placed
    for (int i = 0; i < 2500; i++) {
      assertThat(place(a, w -> false)).isNotNull();
    }
    assertThat(a.pick("k", null, w -> false)).isNull();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void neverPicksExcludedOrRemovedWorkers(AllocationPolicy policy) {
    Allocator a = policy.newAllocator(1);
    List<FakeWorker> ws = workers(a, 10, 1000);
    a.removed(ws.get(3));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      FakeWorker w = place(a, v -> v.index() % 2 == 0);
      assertThat(w.index % 2).isEqualTo(1);
      seen.add(w.index);
    }
    assertThat(seen).doesNotContain(3).contains(1, 5, 7, 9);
    assertThat(a.pick("k", null, v -> true)).isNull();
  }

  @Test
  void leastLoadedAlwaysTakesTheLeastLoaded() {
    Allocator a = AllocationPolicies.leastLoaded().newAllocator(0);
    List<FakeWorker> ws = workers(a, 5, 10);
    for (FakeWorker w : ws) {
      w.inFlight = 10 - w.index; // w4 holds the least
      a.changed(w);
    }
    assertThat(((FakeWorker) a.pick("k", null, w -> false)).index).isEqualTo(4);
  }

  @Test
  void roundRobinCycles() {
    Allocator a = AllocationPolicies.roundRobin().newAllocator(0);
    workers(a, 3, 100);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      counts.merge(((FakeWorker) a.pick("k", null, w -> false)).index, 1, Integer::sum);
    }
    assertThat(counts).containsEntry(0, 10).containsEntry(1, 10).containsEntry(2, 10);
  }

  @Test
  void weightedScorePrefersFastCredibleAndPreferredWorkers() {
    ScoreWeights speedOnly = new ScoreWeights(0, 0, 1, 0, 0, 0, 2);
    Allocator a = AllocationPolicies.weightedScore(speedOnly).newAllocator(3);
    FakeWorker slow = new FakeWorker(0, 100);
    slow.nanos = 1_000_000;
    FakeWorker fast = new FakeWorker(1, 100);
    fast.nanos = 1_000;
    a.added(slow);
    a.added(fast);
    int fastPicks = 0;
    for (int i = 0; i < 200; i++) {
      if (a.pick("k", null, w -> false) == fast) {
        fastPicks++;
      }
    }
    // the slow one only wins when both samples hit it (1 in 4)
    assertThat(fastPicks).isGreaterThan(120);

    ScoreWeights affinityOnly = new ScoreWeights(0, 0, 0, 0, 1, 0, 2);
    Allocator b = AllocationPolicies.weightedScore(affinityOnly).newAllocator(3);
    List<FakeWorker> ws = workers(b, 50, 10);
    for (int i = 0; i < 20; i++) {
      assertThat(b.pick("k", ws.get(17), w -> false)).isSameAs(ws.get(17));
    }
  }

  @Test
  void byNameAndBadWeights() {
    assertThat(AllocationPolicies.byName("power-of-two").name()).isEqualTo("power-of-two");
    assertThatThrownBy(() -> AllocationPolicies.byName("fastest"))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("allocationPolicy");
            });
    assertThatThrownBy(() -> new ScoreWeights(-1, 0, 0, 0, 0, 0, 2))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("weights.load"));
    assertThatThrownBy(() -> new ScoreWeights(1, 0, 0, 0, 0, 0, 1))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("weights.candidates"));
  }

  static double gini(int[] values) {
    double sum = 0;
    double diffs = 0;
    for (int x : values) {
      sum += x;
      for (int y : values) {
        diffs += Math.abs(x - y);
      }
    }
    return sum == 0 ? 0 : diffs / (2.0 * values.length * sum);
  }
}
