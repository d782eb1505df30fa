package io.poolforge.benchmarks.verify;

/**
 * How the saboteurs of a scenario behave. Immutable.
 *
 * @param name the scenario's label
 * @param fraction the fraction of workers that are saboteurs
 * @param wrongProbability the probability that a saboteur answers a task wrongly (once active)
 * @param colluding whether saboteurs agree: they cheat on the same tasks and return the same wrong
 *     answer
 * @param honestFirst how many of its own tasks an on-off saboteur answers honestly before it starts
 *     cheating (0: cheats from the start)
 * @param slowdown how many times slower than an honest worker a saboteur computes
 */
record Adversary(
    String name,
    double fraction,
    double wrongProbability,
    boolean colluding,
    int honestFirst,
    double slowdown) {
  static Adversary none() {
    return new Adversary("no saboteurs", 0.0, 0.0, false, 0, 1.0);
  }
}
