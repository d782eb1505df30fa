package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Baseline: spot-checking at a fixed rate with blacklisting (Sarmenta's spot-checking without
 * credibility). A result is replicated with probability {@code rate} whatever the worker's history;
 * a disagreement goes to a trusted recompute and the wrong worker is blacklisted. Not thread-safe.
 */
class FixedRateSpotCheck implements Verifier, Reputation {
  private final double rate;
  private final RandomGenerator random;
  private final Set<WorkerId> blacklist = new HashSet<>();

  FixedRateSpotCheck(double rate, RandomGenerator random) {
    this.rate = rate;
    this.random = random;
  }

  @Override
  public int initialCopies(TaskSpec spec, VerificationSpec verification) {
    return 1;
  }

  @Override
  public Decision judge(TaskView task, List<WorkResult> results) {
    if (results.size() == 1) {
      return random.nextDouble() < rate
          ? new Decision.Replicate(1, List.of())
          : new Decision.Accept(results.get(0), "unchecked", List.of());
    }
    if (task.dispatched() > results.size()) {
      return new Decision.Wait();
    }
    Bytes first = results.get(0).output();
    for (WorkResult r : results) {
      if (!r.output().equals(first)) {
        return new Decision.RecomputeTrusted("spot-check disagrees");
      }
    }
    return new Decision.Accept(results.get(0), "spot-check", List.of());
  }

  @Override
  public Decision judgeWithTruth(TaskView task, List<WorkResult> results, Bytes trustedOutput) {
    WorkResult winner = null;
    List<WorkerId> wrong = new ArrayList<>();
    for (WorkResult r : results) {
      if (r.output().equals(trustedOutput)) {
        winner = winner == null ? r : winner;
      } else {
        if (blacklist.add(r.worker())) {
          blacklisted(r.worker());
        }
        wrong.add(r.worker());
      }
    }
    return winner == null
        ? new Decision.Fail("no result matched the trusted recompute", wrong)
        : new Decision.Accept(winner, "trusted-recompute", wrong);
  }

  /** Called once when a worker is blacklisted; does nothing unless overridden. */
  void blacklisted(WorkerId worker) {}

  @Override
  public double credibility(WorkerId worker, String kind) {
    return blacklist.contains(worker) ? 0.0 : 0.5;
  }

  @Override
  public boolean quarantined(WorkerId worker) {
    return blacklist.contains(worker);
  }
}
