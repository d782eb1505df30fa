package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Baseline: an approximation of BOINC's adaptive replication. A host becomes trusted after {@code
 * trustAfter} consecutive validated results; a trusted host's result is replicated with probability
 * {@code trustedRate}, an untrusted host's always. Replicas vote 2-of-n (an extra copy on each
 * disagreement, up to {@code cap}); a host whose result loses the vote restarts its count. There is
 * no blacklist. Not thread-safe.
 */
final class AdaptiveReplication implements Verifier, Reputation {
  private final int trustAfter;
  private final double trustedRate;
  private final int cap;
  private final RandomGenerator random;
  private final Map<WorkerId, Integer> consecutiveValid = new HashMap<>();

  AdaptiveReplication(int trustAfter, double trustedRate, int cap, RandomGenerator random) {
    this.trustAfter = trustAfter;
    this.trustedRate = trustedRate;
    this.cap = cap;
    this.random = random;
  }

  @Override
  public int initialCopies(TaskSpec spec, VerificationSpec verification) {
    return 1;
  }

  @Override
  public Decision judge(TaskView task, List<WorkResult> results) {
    if (results.size() == 1) {
      boolean trusted = consecutiveValid.getOrDefault(results.get(0).worker(), 0) >= trustAfter;
      if (trusted && random.nextDouble() >= trustedRate) {
        return new Decision.Accept(results.get(0), "trusted-host", List.of());
      }
      return new Decision.Replicate(1, List.of());
    }
    if (task.dispatched() > results.size()) {
      return new Decision.Wait();
    }
    Map<Bytes, List<WorkResult>> groups = new LinkedHashMap<>();
    for (WorkResult r : results) {
      groups.computeIfAbsent(r.output(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<Bytes, List<WorkResult>> g : groups.entrySet()) {
      if (g.getValue().size() >= 2) {
        List<WorkerId> wrong = new ArrayList<>();
        for (WorkResult r : results) {
          if (r.output().equals(g.getKey())) {
            consecutiveValid.merge(r.worker(), 1, Integer::sum);
          } else {
            consecutiveValid.put(r.worker(), 0);
            wrong.add(r.worker());
          }
        }
        return new Decision.Accept(g.getValue().get(0), "quorum", wrong);
      }
    }
    if (task.dispatched() < cap) {
      return new Decision.Replicate(1, List.of());
    }
    return new Decision.Fail("no two agreeing results in " + cap + " copies", List.of());
  }

  @Override
  public Decision judgeWithTruth(TaskView task, List<WorkResult> results, Bytes trustedOutput) {
    throw new UnsupportedOperationException("adaptive replication never asks for a recompute");
  }

  @Override
  public double credibility(WorkerId worker, String kind) {
    return consecutiveValid.getOrDefault(worker, 0) >= trustAfter ? 1.0 : 0.5;
  }

  @Override
  public boolean quarantined(WorkerId worker) {
    return false;
  }
}
