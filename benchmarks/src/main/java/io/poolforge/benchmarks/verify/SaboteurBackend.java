package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A backend for {@link SimulatedKind} that behaves as an honest worker or as a saboteur of an
 * {@link Adversary}: it runs inside a real {@link io.poolforge.compute.core.worker.WorkerNode}.
 * Under a {@link Lockstep} it draws how long each task takes in simulated time (exponential, mean
 * one second, times the adversary's slowdown for a saboteur) and blocks until the lockstep releases
 * the batch. Thread-safe (synchronized; a worker node may run several batches at once).
 */
final class SaboteurBackend implements ComputeBackend {
  private static final long COLLUSION_MASK = 0x5A5A_5A5A_5A5A_5A5AL;

  private final Adversary adversary;
  private final boolean saboteur;
  private final long collusionSeed;
  private final SplittableRandom random;
  private final @Nullable Lockstep lockstep;
  private final int index;
  private final SplittableRandom service;

  /** Tasks it started, in order; {@link #firstWrong} counts in this order. */
  final AtomicInteger executed = new AtomicInteger();

  /**
   * Tasks whose results it returned. Under a lockstep this changes only when the lockstep releases
   * a batch, so unlike {@link #executed} (which a worker bumps as it starts its next batch, in a
   * race with whatever the coordinator is doing) it reads the same at any point of a step.
   */
  final AtomicInteger returned = new AtomicInteger();

  /** Tasks of the measured set (non-negative inputs) whose results it returned. */
  final AtomicLong measuredReturned = new AtomicLong();

  volatile int firstWrong = -1;

  SaboteurBackend(Adversary adversary, boolean saboteur, long collusionSeed, long seed) {
    this(adversary, saboteur, collusionSeed, seed, null, -1);
  }

  /**
   * A backend that runs under a lockstep.
   *
   * @param index the worker's index (ties between batches that end at once go to the lower), or -1
   *     for the pool's trusted backend, which does not block
   */
  SaboteurBackend(
      Adversary adversary,
      boolean saboteur,
      long collusionSeed,
      long seed,
      @Nullable Lockstep lockstep,
      int index) {
    this.adversary = adversary;
    this.saboteur = saboteur;
    this.collusionSeed = collusionSeed;
    this.random = new SplittableRandom(seed);
    this.service = new SplittableRandom(seed ^ 0x243F_6A88_85A3_08D3L);
    this.lockstep = lockstep;
    this.index = index;
  }

  /** Whether an input belongs to the measured set (the rest keeps the pool busy). */
  static boolean measured(long input) {
    return input >= 0;
  }

  boolean isSaboteur() {
    return saboteur;
  }

  @Override
  public String id() {
    return "cpu";
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(new DeviceInfo("cpu", "simulated cpu", 1L << 30, 1, false));
  }

  @Override
  public Set<String> kinds() {
    return Set.of(SimulatedKind.INSTANCE.id());
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <I, O> List<O> execute(
      TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (!kind.id().equals(SimulatedKind.INSTANCE.id())) {
      throw PoolException.invalidArgument("kind", "'" + kind.id() + "' is not run by this backend");
    }
    List<O> out = new ArrayList<>(inputs.size());
    int measuredCount = 0;
    long nanos = 0;
    double slowdown = saboteur ? adversary.slowdown() : 1.0;
    for (I in : inputs) {
      long x = (Long) in;
      int own = executed.incrementAndGet();
      out.add((O) Long.valueOf(answer(x, own)));
      measuredCount += measured(x) ? 1 : 0;
      nanos += (long) (-Math.log(1.0 - service.nextDouble()) * 1e9 * slowdown);
    }
    Lockstep ls = lockstep;
    if (ls != null) {
      if (index < 0) {
        ls.touch();
      } else {
        ls.await(index, Math.max(1, nanos));
      }
    }
    returned.addAndGet(inputs.size());
    measuredReturned.addAndGet(measuredCount);
    return out;
  }

  private long answer(long input, int own) {
    long truth = SimulatedKind.compute(input);
    if (!saboteur || own <= adversary.honestFirst()) {
      return truth;
    }
    boolean cheat;
    long wrong;
    if (adversary.colluding()) {
      long h = SimulatedKind.compute(input ^ collusionSeed);
      cheat = (h >>> 11) * 0x1.0p-53 < adversary.wrongProbability();
      wrong = truth ^ COLLUSION_MASK;
    } else {
      cheat = random.nextDouble() < adversary.wrongProbability();
      wrong = truth ^ (random.nextLong() | 1L);
    }
    if (!cheat) {
      return truth;
    }
    if (firstWrong < 0) {
      firstWrong = own;
    }
    return wrong;
  }

  @Override
  public void close() {}
}
