package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.util.List;

/**
 * The seam between the scheduler and verification. The scheduler has already checked each result's
 * signature and lease; the verifier decides whether the results gathered so far for one task settle
 * it, need more copies, or need a trusted recompute, and it updates credibility.
 *
 * <p>Not thread-safe: called only on the scheduler thread, so implementations must not block.
 */
public interface Verifier {
  /**
   * How many copies of a new task to dispatch at first.
   *
   * @param spec the task
   * @param verification the task's verification, already resolved against the pool default
   * @return copies, &gt;= 1
   */
  int initialCopies(TaskSpec spec, VerificationSpec verification);

  /**
   * Judges the results of one task so far, after a new one arrived.
   *
   * @param task what the verifier needs to know of the task
   * @param results every valid result received for it, oldest first, the new one last
   * @return what the scheduler does next
   */
  Decision judge(TaskView task, List<WorkResult> results);

  /**
   * Takes a trusted recompute's output as the truth for a task whose replicas disagreed.
   *
   * @param task the task
   * @param results the replicas' results
   * @param trustedOutput the output computed on a trusted local backend
   * @return the final decision: {@link Decision.Accept} or {@link Decision.Fail}
   */
  Decision judgeWithTruth(
      TaskView task, List<WorkResult> results, io.poolforge.compute.api.Bytes trustedOutput);

  /**
   * The backend class that further replicas of a task should run on, for homogeneous redundancy:
   * kinds whose outputs are not bit-exact are compared only within one backend class, so the
   * scheduler should place replicas on workers that have this backend when it can. Added to the
   * seam after 0.1.0's first cut; the default asks for no particular backend.
   *
   * @param task the task
   * @param results the results so far
   * @return the backend id replicas should use, or empty for any
   */
  default java.util.Optional<String> replicaBackend(TaskView task, List<WorkResult> results) {
    return java.util.Optional.empty();
  }

  /**
   * What the verifier may know of a task.
   *
   * @param spec the task's spec
   * @param kind the task's kind
   * @param verification its resolved verification
   * @param dispatched how many copies were dispatched so far and are still running or have answered
   *     with a result; a copy that was lost (worker gone, lease expired) or reported an error is
   *     replaced and not counted, so {@code dispatched - results.size()} copies can still answer
   */
  record TaskView(
      TaskSpec spec, TaskKind<?, ?> kind, VerificationSpec verification, int dispatched) {}

  /** What the scheduler does next with a task. */
  sealed interface Decision {
    /**
     * The task is done: {@code winner}'s output is the result. Workers in {@code wrong} returned a
     * refuted output and have been penalized; the scheduler reports them.
     *
     * @param winner the accepted result
     * @param method how it was verified, for the TaskVerified event
     * @param wrong workers whose results were refuted
     */
    record Accept(WorkResult winner, String method, List<WorkerId> wrong) implements Decision {}

    /**
     * Dispatch {@code copies} more replicas to distinct workers (and owners) not yet used.
     *
     * @param copies how many more, &gt;= 1
     * @param wrong workers already known to be wrong
     */
    record Replicate(int copies, List<WorkerId> wrong) implements Decision {}

    /** Wait for replicas already dispatched. */
    record Wait() implements Decision {}

    /**
     * Recompute on a trusted local backend, then call {@link Verifier#judgeWithTruth}.
     *
     * @param reason why, for the record
     */
    record RecomputeTrusted(String reason) implements Decision {}

    /**
     * The task cannot be verified (for example, replicas exhausted without a quorum).
     *
     * @param reason why
     * @param wrong workers known to be wrong
     */
    record Fail(String reason, List<WorkerId> wrong) implements Decision {}
  }
}
