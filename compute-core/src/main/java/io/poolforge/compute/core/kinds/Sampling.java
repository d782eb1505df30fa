package io.poolforge.compute.core.kinds;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic sample positions for the sampled recompute checks: the same task and claimed output
 * always sample the same entries, so every verifier reaches the same verdict. Stateless.
 */
final class Sampling {
  private Sampling() {}

  /**
   * Up to {@code k} distinct indices in [0, n), ascending; all of them when {@code n <= k}.
   *
   * @param seed the task-derived seed
   * @param n the population
   * @param k the wanted sample size
   * @return the indices
   */
  static int[] indices(long seed, int n, int k) {
    if (n <= k) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] picked = new int[k];
    int count = 0;
    while (count < k) {
      int candidate = rnd.nextInt(n);
      boolean seen = false;
      for (int i = 0; i < count; i++) {
        seen |= picked[i] == candidate;
      }
      if (!seen) {
        picked[count++] = candidate;
      }
    }
    Arrays.sort(picked);
    return picked;
  }

  /** A 64-bit finalizer (the SplitMix64 mix), used to fold task fields into a seed. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
