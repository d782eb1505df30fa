package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's verifier: applies each task's {@link VerificationSpec} and keeps worker credibility in
 * a {@link CredibilityTracker}.
 *
 * <ul>
 *   <li>The kind's own cheap check runs first when the spec asks for it: a refuted or malformed
 *       output quarantines its worker, a confirmed one is accepted at once.
 *   <li>{@link VerificationSpec.Mode#NONE}: the first output that survives the cheap check is
 *       accepted.
 *   <li>{@link VerificationSpec.Mode#QUORUM}: {@code k} agreeing outputs on distinct workers win
 *       when no rival cluster in the same backend class is as large (homogeneous redundancy for
 *       kinds without bit-exact outputs); ties and shortfalls get extra replicas up to the spec's
 *       cap, then a trusted recompute. Losers of a vote are penalised as outvoted.
 *   <li>{@link VerificationSpec.Mode#SPOT_CHECK}: a single result is replicated with a probability
 *       that starts at the spec's rate for a newcomer and falls in proportion to the worker's
 *       remaining distrust on the kind, never below {@link Builder#minSpotCheckRate} (BOINC's
 *       adaptive replication with Sarmenta's credibility). Agreeing replicas are accepted once the
 *       group's credibility (Sarmenta's formula over the agreeing and disagreeing groups) reaches
 *       {@link Builder#acceptanceThreshold}, or at the copy cap; disagreeing replicas go to a
 *       trusted recompute, whose loser is quarantined.
 * </ul>
 *
 * <p>Not thread-safe, as the {@link Verifier} seam says: the scheduler calls it from its one
 * thread. It does not block unless the tracker's forfeiter runs inline and blocks.
 *
 * @since 0.1.0
 */
public final class CredibilityVerifier implements Verifier {
  private static final Logger log = LoggerFactory.getLogger(CredibilityVerifier.class);

  /** Method name of results confirmed by the kind's own check. */
  public static final String CHEAP_CHECK = "cheap-check";

  /** Method name of results accepted with no verification. */
  public static final String NONE = "none";

  /** Method name of results accepted by a quorum of replicas. */
  public static final String QUORUM = "quorum";

  /** Method name of results accepted after a spot-check replica agreed. */
  public static final String SPOT_CHECK = "spot-check";

  /** Method name of results accepted unchecked on the worker's credibility. */
  public static final String CREDIBILITY = "credibility";

  /** Method name of results that matched a trusted recompute. */
  public static final String TRUSTED_RECOMPUTE = "trusted-recompute";

  private final CredibilityTracker tracker;
  private final RandomGenerator random;
  private final double minRate;
  private final double threshold;
  private final int maxCopies;
  private final boolean trusted;

  private CredibilityVerifier(Builder b) {
    this.tracker = b.tracker == null ? CredibilityTracker.builder().build() : b.tracker;
    this.random = b.random == null ? new SplittableRandom(new SecureRandom().nextLong()) : b.random;
    this.minRate = b.minRate == null ? 0.10 : b.minRate;
    this.threshold = b.threshold == null ? 0.999 : b.threshold;
    this.maxCopies = b.maxCopies == null ? 3 : b.maxCopies;
    this.trusted = b.trusted == null || b.trusted;
  }

  /**
   * Starts a builder. Defaults: a new {@link CredibilityTracker} with its defaults, a securely
   * seeded random source, minimum spot-check rate 0.10, acceptance threshold 0.999, at most 3
   * copies outside quorum mode, trusted recompute on disagreement.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The credibility this verifier reads and updates.
   *
   * @return the tracker
   */
  public CredibilityTracker reputation() {
    return tracker;
  }

  /**
   * The probability that a single result of the worker on the kind is spot-checked under a spec.
   *
   * @param worker the worker
   * @param kind the kind id
   * @param spec the task's verification
   * @return the rate in [0, 1]
   */
  public double spotCheckRate(WorkerId worker, String kind, VerificationSpec spec) {
    if (spec.mode() != VerificationSpec.Mode.SPOT_CHECK) {
      return 0.0;
    }
    double rate = spec.spotCheckRate() * tracker.distrustRatio(worker, kind);
    return Math.min(1.0, Math.max(Math.min(minRate, spec.spotCheckRate()), rate));
  }

  @Override
  public int initialCopies(TaskSpec spec, VerificationSpec verification) {
    Args.notNull("spec", spec);
    Args.notNull("verification", verification);
    return verification.mode() == VerificationSpec.Mode.QUORUM ? verification.replicas() : 1;
  }

  @Override
  public Decision judge(TaskView task, List<WorkResult> results) {
    Args.notNull("task", task);
    Args.notNull("results", results);
    if (results.isEmpty()) {
      throw PoolException.invalidArgument("results", "must hold at least the new result");
    }
    return judgeTyped(task, task.kind(), results);
  }

  @Override
  public Decision judgeWithTruth(TaskView task, List<WorkResult> results, Bytes trustedOutput) {
    Args.notNull("task", task);
    Args.notNull("results", results);
    Args.notNull("trustedOutput", trustedOutput);
    return truthTyped(task, task.kind(), results, trustedOutput);
  }

  @Override
  public Optional<String> replicaBackend(TaskView task, List<WorkResult> results) {
    if (task.kind().exactOutputs()) {
      return Optional.empty();
    }
    for (WorkResult r : results) {
      if (r.error() == null) {
        return Optional.of(r.backend());
      }
    }
    return Optional.empty();
  }

  private <I, O> Decision judgeTyped(TaskView task, TaskKind<I, O> kind, List<WorkResult> results) {
    VerificationSpec spec = task.verification();
    String kindId = kind.id();
    Set<WorkerId> refuted = new LinkedHashSet<>();
    List<WorkResult> confirmed = new ArrayList<>();
    Ballot<O> ballot = new Ballot<>(kind);
    int votes = 0;
    @Nullable I input = null;
    Set<WorkerId> voters = new java.util.HashSet<>();
    int skipped = 0;
    for (WorkResult r : results) {
      // One vote per worker: a second copy on the same worker proves nothing.
      if (r.error() != null || !voters.add(r.worker())) {
        skipped++;
        continue;
      }
      // A quarantined worker's results are no votes: it is a proven cheater.
      if (tracker.quarantined(r.worker())) {
        refuted.add(r.worker());
        continue;
      }
      O out;
      try {
        out = kind.outputCodec().decode(r.output());
      } catch (RuntimeException e) {
        punish(refuted, r, kindId, "malformed output: " + e.getMessage());
        continue;
      }
      if (spec.cheapCheck()) {
        if (input == null) {
          input = kind.inputCodec().decode(task.spec().payload());
        }
        TaskKind.Verdict v = cheapCheck(kind, input, out);
        if (v == TaskKind.Verdict.REFUTED) {
          punish(refuted, r, kindId, "refuted by the kind's check");
          continue;
        }
        if (v == TaskKind.Verdict.CONFIRMED) {
          confirmed.add(r);
        }
      }
      ballot.add(r, out);
      votes++;
    }
    List<WorkerId> wrong = List.copyOf(refuted);
    if (!confirmed.isEmpty()) {
      for (WorkResult r : confirmed) {
        tracker.recordVerified(r.worker(), kindId);
      }
      return new Decision.Accept(confirmed.get(0), CHEAP_CHECK, wrong);
    }
    int outstanding = Math.max(0, task.dispatched() - results.size());
    return switch (spec.mode()) {
      case NONE -> none(task, ballot, votes, outstanding, wrong, spec);
      case QUORUM -> quorum(task, ballot, votes, outstanding, wrong, refuted);
      case SPOT_CHECK -> spotCheck(task, skipped, ballot, votes, outstanding, wrong, refuted);
    };
  }

  private <O> Decision none(
      TaskView task,
      Ballot<O> ballot,
      int votes,
      int outstanding,
      List<WorkerId> wrong,
      VerificationSpec spec) {
    if (votes > 0) {
      return new Decision.Accept(
          ballot.clusters().get(0).members.get(0), spec.cheapCheck() ? CHEAP_CHECK : NONE, wrong);
    }
    return more(task, outstanding, 1, maxCopies, wrong, "no valid result among %d copies");
  }

  private <O> Decision quorum(
      TaskView task,
      Ballot<O> ballot,
      int votes,
      int outstanding,
      List<WorkerId> wrong,
      Set<WorkerId> refuted) {
    VerificationSpec spec = task.verification();
    Ballot.@Nullable Cluster<O> winner = votes == 0 ? null : ballot.winner(spec.quorum());
    if (winner != null) {
      return accept(task, ballot, winner, QUORUM, refuted);
    }
    if (outstanding > 0) {
      return new Decision.Wait();
    }
    int largest = votes == 0 ? 0 : ballot.largest().members.size();
    int need = Math.max(1, spec.quorum() - largest);
    if (task.dispatched() < spec.maxReplicas()) {
      return new Decision.Replicate(Math.min(need, spec.maxReplicas() - task.dispatched()), wrong);
    }
    if (votes > 0 && trusted) {
      return new Decision.RecomputeTrusted(
          "no quorum of "
              + spec.quorum()
              + " among "
              + task.dispatched()
              + " copies of "
              + task.spec().kind());
    }
    return new Decision.Fail(
        "no quorum of " + spec.quorum() + " among " + task.dispatched() + " copies", wrong);
  }

  private <O> Decision spotCheck(
      TaskView task,
      int skipped,
      Ballot<O> ballot,
      int votes,
      int outstanding,
      List<WorkerId> wrong,
      Set<WorkerId> refuted) {
    String kindId = task.kind().id();
    // A fresh single result (the first, or the replacement of a proven cheater's) gets the draw; a
    // result whose check copy failed or was duplicated is checked again instead of redrawn.
    if (votes == 1 && skipped == 0 && outstanding == 0) {
      WorkResult only = ballot.clusters().get(0).members.get(0);
      double rate = spotCheckRate(only.worker(), kindId, task.verification());
      if (random.nextDouble() < rate) {
        return new Decision.Replicate(1, wrong);
      }
      return new Decision.Accept(only, CREDIBILITY, wrong);
    }
    if (outstanding > 0) {
      return new Decision.Wait();
    }
    if (votes == 0) {
      return more(task, 0, 1, maxCopies, wrong, "no valid result among %d copies");
    }
    if (ballot.disagreement()) {
      if (trusted) {
        return new Decision.RecomputeTrusted(
            "spot-check replicas of " + task.spec().kind() + " disagree");
      }
      Ballot.@Nullable Cluster<O> majority = ballot.winner(2);
      if (majority != null) {
        return accept(task, ballot, majority, SPOT_CHECK, refuted);
      }
      return more(task, 0, 1, maxCopies, wrong, "replicas disagree after %d copies");
    }
    Ballot.Cluster<O> group = ballot.largest();
    if (group.members.size() >= 2) {
      if (groupCredibility(kindId, ballot, group) >= threshold || task.dispatched() >= maxCopies) {
        return accept(task, ballot, group, SPOT_CHECK, refuted);
      }
      return new Decision.Replicate(1, wrong);
    }
    // One vote, or votes that cannot be compared (different backend classes).
    if (task.dispatched() < maxCopies) {
      return new Decision.Replicate(1, wrong);
    }
    if (trusted) {
      return new Decision.RecomputeTrusted(
          "no two comparable results of " + task.spec().kind() + " within the copy cap");
    }
    return new Decision.Fail("no two comparable results within " + maxCopies + " copies", wrong);
  }

  private Decision more(
      TaskView task, int outstanding, int copies, int cap, List<WorkerId> wrong, String failure) {
    if (outstanding > 0) {
      return new Decision.Wait();
    }
    if (task.dispatched() < cap) {
      return new Decision.Replicate(Math.min(copies, cap - task.dispatched()), wrong);
    }
    return new Decision.Fail(String.format(failure, task.dispatched()), wrong);
  }

  private <O> Decision accept(
      TaskView task,
      Ballot<O> ballot,
      Ballot.Cluster<O> winner,
      String method,
      Set<WorkerId> refuted) {
    String kindId = task.kind().id();
    for (WorkResult r : winner.members) {
      tracker.recordVerified(r.worker(), kindId);
    }
    Set<WorkerId> wrong = new LinkedHashSet<>(refuted);
    TaskId id = winner.members.get(0).lease().task();
    for (WorkerId w : ballot.outvoted(winner)) {
      tracker.recordOutvoted(w, kindId, id);
      wrong.add(w);
    }
    return new Decision.Accept(winner.members.get(0), method, List.copyOf(wrong));
  }

  /**
   * Sarmenta's credibility of a group: the probability that its answer is right given every group
   * in its backend class, from the members' credibilities.
   */
  private <O> double groupCredibility(String kindId, Ballot<O> ballot, Ballot.Cluster<O> group) {
    List<Ballot.Cluster<O>> all = new ArrayList<>(ballot.rivals(group));
    all.add(0, group);
    double[] good = new double[all.size()];
    double[] bad = new double[all.size()];
    for (int i = 0; i < all.size(); i++) {
      double g = 1.0;
      double b = 1.0;
      for (WorkResult r : all.get(i).members) {
        double cr = tracker.credibility(r.worker(), kindId);
        g *= cr;
        b *= 1.0 - cr;
      }
      good[i] = g;
      bad[i] = b;
    }
    double allBad = 1.0;
    for (double b : bad) {
      allBad *= b;
    }
    double sum = allBad;
    double mine = 0.0;
    for (int i = 0; i < all.size(); i++) {
      double p = good[i];
      for (int j = 0; j < all.size(); j++) {
        if (j != i) {
          p *= bad[j];
        }
      }
      sum += p;
      if (i == 0) {
        mine = p;
      }
    }
    return sum == 0.0 ? 0.0 : mine / sum;
  }

  private <I, O> Decision truthTyped(
      TaskView task, TaskKind<I, O> kind, List<WorkResult> results, Bytes trustedOutput) {
    O truth;
    try {
      truth = kind.outputCodec().decode(trustedOutput);
    } catch (RuntimeException e) {
      throw new PoolException(
          ErrorCode.INTERNAL,
          "trustedOutput: the trusted recompute of " + kind.id() + " produced a malformed output",
          e);
    }
    Set<WorkerId> wrong = new LinkedHashSet<>();
    @Nullable WorkResult winner = null;
    for (WorkResult r : results) {
      if (r.error() != null) {
        continue;
      }
      boolean right;
      String why = "differs from the trusted recompute";
      try {
        right = kind.equivalent(truth, kind.outputCodec().decode(r.output()));
      } catch (RuntimeException e) {
        right = false;
        why = "malformed output: " + e.getMessage();
      }
      if (right) {
        tracker.recordVerified(r.worker(), kind.id());
        if (winner == null) {
          winner = r;
        }
      } else {
        tracker.recordRefuted(r.worker(), kind.id(), r.lease().task(), why);
        wrong.add(r.worker());
      }
    }
    if (winner != null) {
      return new Decision.Accept(winner, TRUSTED_RECOMPUTE, List.copyOf(wrong));
    }
    VerificationSpec spec = task.verification();
    int cap = spec.mode() == VerificationSpec.Mode.QUORUM ? spec.maxReplicas() : maxCopies;
    if (task.dispatched() < cap) {
      // Every replica was wrong and is now quarantined: a fresh copy on another worker.
      return new Decision.Replicate(1, List.copyOf(wrong));
    }
    return new Decision.Fail(
        "no replica of " + kind.id() + " matched the trusted recompute", List.copyOf(wrong));
  }

  private static <I, O> TaskKind.Verdict cheapCheck(TaskKind<I, O> kind, I input, O output) {
    try {
      return kind.cheapCheck(input, output);
    } catch (RuntimeException e) {
      log.error("The cheap check of kind {} threw; treating the result as unchecked", kind.id(), e);
      return TaskKind.Verdict.UNCHECKED;
    }
  }

  private void punish(Set<WorkerId> wrong, WorkResult r, String kindId, String reason) {
    tracker.recordRefuted(r.worker(), kindId, r.lease().task(), reason);
    wrong.add(r.worker());
  }

  /**
   * Builds a {@link CredibilityVerifier}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable CredibilityTracker tracker;
    private @Nullable RandomGenerator random;
    private @Nullable Double minRate;
    private @Nullable Double threshold;
    private @Nullable Integer maxCopies;
    private @Nullable Boolean trusted;

    private Builder() {}

    /**
     * Sets the credibility tracker, which the pool may share with its scheduler.
     *
     * @param value the tracker
     * @return this
     */
    public Builder reputation(CredibilityTracker value) {
      Args.once("reputation", tracker != null);
      tracker = Args.notNull("reputation", value);
      return this;
    }

    /**
     * Sets the random source of spot-check draws (seed it for reproducible simulations).
     *
     * @param value the source
     * @return this
     */
    public Builder random(RandomGenerator value) {
      Args.once("random", random != null);
      random = Args.notNull("random", value);
      return this;
    }

    /**
     * Sets the lowest spot-check rate however credible a worker is, so that a worker that turns bad
     * is still caught.
     *
     * @param value in [0, 1]
     * @return this
     */
    public Builder minSpotCheckRate(double value) {
      Args.once("minSpotCheckRate", minRate != null);
      minRate = Args.range("minSpotCheckRate", value, 0.0, 1.0);
      return this;
    }

    /**
     * Sets the group credibility at which agreeing spot-check replicas are accepted without another
     * copy.
     *
     * @param value in [0.5, 1]
     * @return this
     */
    public Builder acceptanceThreshold(double value) {
      Args.once("acceptanceThreshold", threshold != null);
      threshold = Args.range("acceptanceThreshold", value, 0.5, 1.0);
      return this;
    }

    /**
     * Sets the cap on copies of one task outside quorum mode (quorum mode uses its spec's cap).
     *
     * @param value 2-32
     * @return this
     */
    public Builder maxCopies(int value) {
      Args.once("maxCopies", maxCopies != null);
      maxCopies = Args.range("maxCopies", value, 2, 32);
      return this;
    }

    /**
     * Sets whether disagreeing replicas go to a trusted recompute ({@link
     * Decision.RecomputeTrusted}); without one, extra replicas decide by majority, then the task
     * fails at the cap.
     *
     * @param value true to use trusted recompute
     * @return this
     */
    public Builder trustedRecompute(boolean value) {
      Args.once("trustedRecompute", trusted != null);
      trusted = value;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return a new verifier
     */
    public CredibilityVerifier build() {
      return new CredibilityVerifier(this);
    }
  }
}
