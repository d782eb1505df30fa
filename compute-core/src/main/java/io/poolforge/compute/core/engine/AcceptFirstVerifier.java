package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import java.util.List;

/**
 * The engine's default {@link Verifier}: accepts the first signed, leased result of a task (the
 * engine checked signature and lease before), after the kind's own cheap check when the task's
 * verification asks for it. A result the cheap check refutes is not accepted: its worker is marked
 * wrong and one more copy goes to another worker, until {@link TaskSpec#maxAttempts()} copies were
 * tried. Quorum and spot-check modes are treated as accept-first; a pool that needs them wires a
 * verifier that implements them.
 *
 * <p>Stateless and thread-safe; never blocks (the cheap check must be cheap).
 *
 * @since 0.1.0
 */
public final class AcceptFirstVerifier implements Verifier {
  /** Creates the verifier. */
  public AcceptFirstVerifier() {}

  @Override
  public int initialCopies(TaskSpec spec, VerificationSpec verification) {
    return 1;
  }

  @Override
  public Decision judge(TaskView task, List<WorkResult> results) {
    WorkResult latest = results.get(results.size() - 1);
    if (!task.verification().cheapCheck()) {
      return new Decision.Accept(latest, "accept-first", List.of());
    }
    TaskKind.Verdict verdict = cheapCheck(task.kind(), task.spec().payload(), latest.output());
    if (verdict != TaskKind.Verdict.REFUTED) {
      return new Decision.Accept(
          latest,
          verdict == TaskKind.Verdict.CONFIRMED ? "cheap-check" : "accept-first",
          List.of());
    }
    List<WorkerId> wrong = List.of(latest.worker());
    if (task.dispatched() >= task.spec().maxAttempts()) {
      return new Decision.Fail(
          "the kind's cheap check refuted all "
              + task.dispatched()
              + " results (maxAttempts "
              + task.spec().maxAttempts()
              + ")",
          wrong);
    }
    return new Decision.Replicate(1, wrong);
  }

  @Override
  public Decision judgeWithTruth(TaskView task, List<WorkResult> results, Bytes trustedOutput) {
    for (WorkResult r : results) {
      if (r.output().equals(trustedOutput)) {
        return new Decision.Accept(r, "trusted-recompute", List.of());
      }
    }
    return new Decision.Fail(
        "no result matched the trusted recompute",
        results.stream().map(WorkResult::worker).toList());
  }

  private static <I, O> TaskKind.Verdict cheapCheck(TaskKind<I, O> kind, Bytes input, Bytes out) {
    try {
      I in = kind.inputCodec().decode(input);
      O o = kind.outputCodec().decode(out);
      return kind.cheapCheck(in, o);
    } catch (RuntimeException e) {
      return TaskKind.Verdict.REFUTED;
    }
  }
}
