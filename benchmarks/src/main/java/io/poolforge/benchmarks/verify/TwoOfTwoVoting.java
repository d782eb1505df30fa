package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: BOINC-style 2-of-2 voting. Every task runs on two workers; when their outputs differ,
 * one more copy at a time is sent until two agree, up to {@code cap} copies, then the task fails.
 * There is no credibility and no blacklist (BOINC marks the losing results invalid and withholds
 * their credit). Not thread-safe.
 */
final class TwoOfTwoVoting implements Verifier, Reputation {
  private final int cap;

  TwoOfTwoVoting(int cap) {
    this.cap = cap;
  }

  @Override
  public int initialCopies(TaskSpec spec, VerificationSpec verification) {
    return 2;
  }

  @Override
  public Decision judge(TaskView task, List<WorkResult> results) {
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
          if (!r.output().equals(g.getKey())) {
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
    throw new UnsupportedOperationException("2-of-2 voting never asks for a trusted recompute");
  }

  @Override
  public double credibility(WorkerId worker, String kind) {
    return 0.5;
  }

  @Override
  public boolean quarantined(WorkerId worker) {
    return false;
  }
}
