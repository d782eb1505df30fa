package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.CredibilityTracker;
import io.poolforge.compute.core.verify.CredibilityVerifier;
import io.poolforge.compute.core.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Runs the verification scenarios (honest workers plus saboteurs that are always wrong, wrong with
 * probability p, colluding, on-off, or slow) against PoolForge's {@link CredibilityVerifier} and
 * two baselines, BOINC-style 2-of-2 voting and fixed-rate spot-checking, on the {@link
 * SimulatedScheduler}, and prints one Markdown table: accepted-error rate, copies per accepted
 * task, and how many of its own tasks each saboteur ran before quarantine.
 *
 * <p>Usage: {@code VerificationSimulation [--workers N] [--tasks N] [--seeds N] [--out FILE]}.
 * Deterministic for given arguments.
 */
public final class VerificationSimulation {
  private static double buildup = -1;
  private static double floor = -1;
  private static double threshold = -1;

  private VerificationSimulation() {}

  /**
   * Entry point.
   *
   * @param args the options above
   * @throws IOException if the output file cannot be written
   */
  public static void main(String[] args) throws IOException {
    int workers = 100;
    int tasks = 100_000;
    int seeds = 5;
    @Nullable Path out = null;
    @Nullable String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--buildup" -> buildup = Double.parseDouble(args[++i]);
        case "--floor" -> floor = Double.parseDouble(args[++i]);
        case "--threshold" -> threshold = Double.parseDouble(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String table = run(workers, tasks, seeds, only);
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
  }

  static final List<String> POLICIES =
      List.of("poolforge", "poolforge-floor-5%", "2-of-2", "adaptive-replication", "fixed-10%");

  static List<Adversary> scenarios() {
    return List.of(
        Adversary.none(),
        new Adversary("20% always wrong", 0.20, 1.0, false, 0, 1.0),
        new Adversary("20% wrong p=0.3", 0.20, 0.3, false, 0, 1.0),
        new Adversary("35% colluding p=1", 0.35, 1.0, true, 0, 1.0),
        new Adversary("35% colluding p=0.3", 0.35, 0.3, true, 0, 1.0),
        new Adversary("20% on-off (200 honest, then always wrong)", 0.20, 1.0, false, 200, 1.0),
        new Adversary("20% on-off (200 honest, then p=0.3)", 0.20, 0.3, false, 200, 1.0),
        new Adversary("20% slow (5x) wrong p=0.3", 0.20, 0.3, false, 0, 5.0));
  }

  static String run(int workers, int tasks, int seeds, @Nullable String only) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d workers, %d tasks per run, %d seeds per row; task kind without a cheap check.%n%n",
            workers,
            tasks,
            seeds));
    sb.append(
        "| scenario | policy | accepted-error rate | wrong / accepted | copies per task |"
            + " failed | saboteurs caught / cheated / all | own tasks to quarantine p50 / p99 / max |"
            + " from first wrong p50 / p99 / max | honest quarantined |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Adversary adv : scenarios()) {
      if (only != null && !adv.name().contains(only)) {
        continue;
      }
      for (String policy : POLICIES) {
        if (only != null && !policy.startsWith("poolforge")) {
          continue;
        }
        Totals t = new Totals();
        for (int s = 0; s < seeds; s++) {
          long seed = 0x5EED_0000L + 7919L * s;
          t.add(runOne(policy, adv, workers, tasks, seed));
        }
        sb.append(t.row(adv.name(), policy));
      }
    }
    return sb.toString();
  }

  static SimulatedScheduler.Outcome runOne(
      String policy, Adversary adv, int workers, int tasks, long seed) {
    SimClock clock = new SimClock();
    Verifier verifier;
    Reputation reputation;
    VerificationSpec spec;
    switch (policy) {
      case "poolforge", "poolforge-floor-5%" -> {
        CredibilityTracker.Builder tb = CredibilityTracker.builder().clock(clock);
        if (buildup > 0) {
          tb.trustBuildup(buildup);
        }
        CredibilityTracker tracker = tb.build();
        CredibilityVerifier.Builder vb =
            CredibilityVerifier.builder()
                .reputation(tracker)
                .random(new SplittableRandom(seed ^ 0xC0FFEEL));
        if (policy.equals("poolforge-floor-5%")) {
          vb.minSpotCheckRate(0.05);
        } else if (floor >= 0) {
          vb.minSpotCheckRate(floor);
        }
        if (threshold > 0) {
          vb.acceptanceThreshold(threshold);
        }
        verifier = vb.build();
        reputation = tracker;
        spec = VerificationSpec.spotCheck(1.0);
      }
      case "2-of-2" -> {
        TwoOfTwoVoting v = new TwoOfTwoVoting(8);
        verifier = v;
        reputation = v;
        spec = VerificationSpec.quorum(2, 2);
      }
      case "adaptive-replication" -> {
        AdaptiveReplication v =
            new AdaptiveReplication(10, 0.10, 8, new SplittableRandom(seed ^ 0xC0FFEEL));
        verifier = v;
        reputation = v;
        spec = VerificationSpec.spotCheck(1.0);
      }
      case "fixed-10%" -> {
        FixedRateSpotCheck v = new FixedRateSpotCheck(0.10, new SplittableRandom(seed ^ 0xC0FFEEL));
        verifier = v;
        reputation = v;
        spec = VerificationSpec.spotCheck(0.10);
      }
      default -> throw new IllegalArgumentException(policy);
    }
    return new SimulatedScheduler(verifier, reputation, spec, adv, workers, tasks, clock, seed)
        .run();
  }

  /** Sums of several runs of one row. */
  static final class Totals {
    long accepted;
    long wrong;
    long executions;
    long trusted;
    long failed;
    int saboteurs;
    int cheated;
    int honestQuarantined;
    final List<Integer> own = new ArrayList<>();
    final List<Integer> fromWrong = new ArrayList<>();

    void add(SimulatedScheduler.Outcome o) {
      accepted += o.accepted();
      wrong += o.wrongAccepted();
      executions += o.executions();
      trusted += o.trusted();
      failed += o.failed();
      saboteurs += o.saboteurs();
      cheated += o.saboteursThatCheated();
      honestQuarantined += o.honestQuarantined();
      own.addAll(o.quarantinedAfterOwnTasks());
      fromWrong.addAll(o.quarantinedAfterFirstWrong());
    }

    double errorRate() {
      return accepted == 0 ? 0 : (double) wrong / accepted;
    }

    double copies() {
      return accepted == 0 ? 0 : (double) (executions + trusted) / accepted;
    }

    String row(String scenario, String policy) {
      String caught = saboteurs == 0 ? "-" : own.size() + " / " + cheated + " / " + saboteurs;
      return String.format(
          Locale.ROOT,
          "| %s | %s | %.2e | %d / %d | %.3f | %d | %s | %s | %s | %d |%n",
          scenario,
          policy,
          errorRate(),
          wrong,
          accepted,
          copies(),
          failed,
          caught,
          percentiles(own),
          percentiles(fromWrong),
          honestQuarantined);
    }

    static String percentiles(List<Integer> xs) {
      if (xs.isEmpty()) {
        return "-";
      }
      List<Integer> s = new ArrayList<>(xs);
      Collections.sort(s);
      return at(s, 0.50) + " / " + at(s, 0.99) + " / " + s.get(s.size() - 1);
    }

    private static int at(List<Integer> sorted, double q) {
      int i = (int) Math.ceil(q * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
  }
}
