package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.verify.CredibilityTracker;
import io.poolforge.compute.core.verify.CredibilityVerifier;
import io.poolforge.compute.core.verify.Verifier;
import io.poolforge.compute.core.worker.WorkerNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The saboteur scenarios on the real pool: a {@link Coordinator} with the verifier under test and a
 * trusted backend, and one real {@link WorkerNode} per worker whose {@link SaboteurBackend} is
 * honest or a saboteur, over the in-process transport with Ed25519-signed results, all driven in
 * {@link Lockstep} on a fake clock, so the table is a function of the arguments: same seed, same
 * table, on any machine.
 *
 * <p>Each row submits {@code tasks} measured tasks, then enough further tasks to keep every worker
 * busy until the last measured task ends (so that a worker never waits with idle credit, which
 * would make placement depend on thread timing); only the measured tasks are counted.
 *
 * <p>Usage: {@code PoolVerificationRun [--workers N] [--tasks N] [--goal-tasks N] [--baseline-tasks
 * N] [--batch N] [--on-off N] [--seed N] [--only SUBSTRING] [--policy SUBSTRING] [--out FILE]}:
 * {@code --tasks} measured tasks per PoolForge row, {@code --goal-tasks} for PoolForge on the
 * scenario whose goal is an accepted-error of at most 1e-4 (at least 30,000 are needed to show it),
 * {@code --baseline-tasks} per row of the two baselines.
 */
public final class PoolVerificationRun {
  static final List<String> POLICIES = List.of("poolforge", "2-of-2", "fixed-10%");

  /** The scenario whose goal (accepted-error at most 1e-4) needs the most tasks to show. */
  static final String GOAL_SCENARIO = "20% wrong p=0.3";

  /** Probes the last row's lockstep sent (varies with thread timing, so not part of a row). */
  private static volatile long lastProbes;

  private PoolVerificationRun() {}

  static List<Adversary> scenarios(int onOffHonest) {
    return List.of(
        Adversary.none(),
        new Adversary("20% always wrong", 0.20, 1.0, false, 0, 1.0),
        new Adversary(GOAL_SCENARIO, 0.20, 0.3, false, 0, 1.0),
        new Adversary("35% colluding p=1", 0.35, 1.0, true, 0, 1.0),
        new Adversary("35% colluding p=0.3", 0.35, 0.3, true, 0, 1.0),
        new Adversary(
            "20% on-off (" + onOffHonest + " honest, then p=0.3)",
            0.20,
            0.3,
            false,
            onOffHonest,
            1.0),
        new Adversary("20% slow (5x) wrong p=0.3", 0.20, 0.3, false, 0, 5.0));
  }

  /**
   * Entry point.
   *
   * @param args the options above
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int workers = 40;
    int tasks = 10_000;
    int goalTasks = 60_000;
    int baselineTasks = 5_000;
    int batch = 4;
    int onOff = 100;
    long seed = 42;
    @Nullable String only = null;
    @Nullable String policyFilter = null;
    @Nullable Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--goal-tasks" -> goalTasks = Integer.parseInt(args[++i]);
        case "--baseline-tasks" -> baselineTasks = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--on-off" -> onOff = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        case "--policy" -> policyFilter = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Real in-process pool in lockstep on a fake clock: %d worker nodes (slots 1, window %d),"
                + " batches of %d, seed %d; measured tasks per row: poolforge %d (%d for '%s'),"
                + " baselines %d.%n%n",
            workers,
            2 * batch,
            batch,
            seed,
            tasks,
            goalTasks,
            GOAL_SCENARIO,
            baselineTasks));
    sb.append(Row.HEADER);
    System.out.print(sb);
    for (Adversary adv : scenarios(onOff)) {
      if (only != null && !adv.name().contains(only)) {
        continue;
      }
      for (String policy : POLICIES) {
        if (policyFilter != null && !policy.contains(policyFilter)) {
          continue;
        }
        int n =
            !policy.equals("poolforge")
                ? baselineTasks
                : adv.name().equals(GOAL_SCENARIO) ? goalTasks : tasks;
        long started = System.nanoTime();
        Row row = runOne(policy, adv, workers, n, batch, seed);
        String line = row.format();
        sb.append(line);
        System.out.print(line);
        System.err.printf(
            Locale.ROOT,
            "  (%s / %s: %.1f s wall, %d steps, %d probes, %d simulated seconds)%n",
            adv.name(),
            policy,
            (System.nanoTime() - started) / 1e9,
            row.steps(),
            lastProbes,
            row.simulatedSeconds());
      }
    }
    if (out != null) {
      Files.writeString(out, sb.toString());
    }
  }

  /**
   * One row's figures. Everything here is determined by the run's arguments.
   *
   * @param scenario the adversary's name
   * @param policy the verification policy
   * @param tasks measured tasks submitted
   * @param accepted measured tasks accepted
   * @param wrong accepted measured tasks whose output is wrong
   * @param copies copies of measured tasks computed by workers, plus trusted recomputes
   * @param saboteurs saboteurs in the pool
   * @param cheated saboteurs that returned at least one wrong answer
   * @param own for each quarantined saboteur, how many tasks it had returned results for by then
   * @param fromWrong the same, counted from its first wrong answer
   * @param honestQuarantined honest workers quarantined
   * @param steps batches released
   * @param simulatedSeconds the simulated time the row took
   */
  record Row(
      String scenario,
      String policy,
      int tasks,
      long accepted,
      long wrong,
      long copies,
      int saboteurs,
      int cheated,
      List<Integer> own,
      List<Integer> fromWrong,
      int honestQuarantined,
      long steps,
      long simulatedSeconds) {
    static final String HEADER =
        "| scenario | policy | accepted-error rate | wrong / accepted | 95% upper bound |"
            + " copies per task | failed | saboteurs caught / cheated / all |"
            + " own tasks to quarantine p50 / p99 / max | from first wrong p50 / p99 / max |"
            + " honest quarantined |\n|---|---|---|---|---|---|---|---|---|---|---|\n";

    String format() {
      return String.format(
          Locale.ROOT,
          "| %s | %s | %.2e | %d / %d | %.1e | %.3f | %d | %d / %d / %d | %s | %s | %d |%n",
          scenario,
          policy,
          accepted == 0 ? 0.0 : (double) wrong / accepted,
          wrong,
          accepted,
          upperBound(wrong, accepted),
          accepted == 0 ? 0.0 : (double) copies / accepted,
          tasks - accepted,
          own.size(),
          cheated,
          saboteurs,
          VerificationSimulation.Totals.percentiles(own),
          VerificationSimulation.Totals.percentiles(fromWrong),
          honestQuarantined);
    }
  }

  /**
   * A one-sided 95% upper confidence bound on a rate of {@code k} events in {@code n} trials: the
   * exact (Clopper-Pearson) bound, found by bisection on the binomial tail; for k = 0 it is 1 -
   * 0.05^(1/n), about 3/n.
   */
  static double upperBound(long k, long n) {
    if (n == 0) {
      return 1.0;
    }
    if (k >= n) {
      return 1.0;
    }
    double lo = (double) k / n;
    double hi = 1.0;
    for (int i = 0; i < 100; i++) {
      double mid = (lo + hi) / 2;
      if (binomialCdf(k, n, mid) > 0.05) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** P(X <= k) for X ~ Binomial(n, p), summed in log space. */
  private static double binomialCdf(long k, long n, double p) {
    double sum = 0.0;
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    double logTerm = n * logQ; // log P(X = 0)
    for (long i = 0; i <= k; i++) {
      sum += Math.exp(logTerm);
      logTerm += Math.log((double) (n - i) / (i + 1)) + logP - logQ;
    }
    return Math.min(1.0, sum);
  }

  static Row runOne(
      String policy, Adversary adv, int workerCount, int taskCount, int batch, long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Lockstep lockstep = new Lockstep();
    Verifier verifier;
    Reputation reputation;
    VerificationSpec spec;
    Map<WorkerId, Integer> quarantinedAt = new ConcurrentHashMap<>();
    Map<WorkerId, Integer> quarantinedFromWrong = new ConcurrentHashMap<>();
    Map<WorkerId, SaboteurBackend> backends = new ConcurrentHashMap<>();
    java.util.function.Consumer<WorkerId> caught =
        w -> {
          SaboteurBackend b = backends.get(w);
          if (b == null) {
            return;
          }
          int returned = b.returned.get();
          if (quarantinedAt.putIfAbsent(w, returned) == null) {
            int first = b.firstWrong;
            if (first >= 0) {
              quarantinedFromWrong.put(w, Math.max(0, returned - first + 1));
            }
          }
        };
    switch (policy) {
      case "poolforge" -> {
        CredibilityTracker tracker =
            CredibilityTracker.builder()
                .clock(lockstep.clock)
                .notificationExecutor(Runnable::run)
                .build();
        tracker.addQuarantineListener(q -> caught.accept(q.worker()));
        verifier =
            CredibilityVerifier.builder()
                .reputation(tracker)
                .random(new SplittableRandom(random.nextLong()))
                .build();
        reputation = tracker;
        spec = VerificationSpec.spotCheck(1.0);
      }
      case "2-of-2" -> {
        TwoOfTwoVoting v = new TwoOfTwoVoting(8);
        verifier = v;
        reputation = v;
        spec = VerificationSpec.quorum(2, 2);
      }
      case "fixed-10%" -> {
        FixedRateSpotCheck v =
            new FixedRateSpotCheck(0.10, new SplittableRandom(random.nextLong())) {
              @Override
              void blacklisted(WorkerId worker) {
                caught.accept(worker);
              }
            };
        verifier = v;
        reputation = v;
        spec = VerificationSpec.spotCheck(0.10);
      }
      default -> throw new IllegalArgumentException(policy);
    }
    SaboteurBackend trusted = new SaboteurBackend(adv, false, 0, 0, lockstep, -1);
    long collusionSeed = random.nextLong();
    int saboteurs = (int) Math.round(adv.fraction() * workerCount);
    List<Boolean> bad = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      bad.add(i < saboteurs);
    }
    Collections.shuffle(bad, new java.util.Random(random.nextLong()));
    int window = 2 * batch;
    // Enough unmeasured tasks that workers stay busy until the last measured task ends.
    int padding = Math.max(2_000, workerCount * window * 16);
    List<TaskSpec> specs = new ArrayList<>(taskCount + padding);
    long[] inputs = new long[taskCount];
    for (int i = 0; i < taskCount + padding; i++) {
      long x = random.nextLong();
      x = i < taskCount ? x >>> 1 : x | Long.MIN_VALUE;
      if (i < taskCount) {
        inputs[i] = x;
      }
      specs.add(
          TaskSpec.builder(
                  SimulatedKind.INSTANCE.id(), SimulatedKind.INSTANCE.inputCodec().encode(x))
              .verification(spec)
              .maxAttempts(20)
              .build());
    }
    List<WorkerNode> nodes = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    long steps = 0;
    long wrong = 0;
    long accepted = 0;
    InProcessTransport transport = InProcessTransport.create(lockstep.transportExecutor());
    Pool pool =
        Coordinator.builder()
            .kind(SimulatedKind.INSTANCE)
            .kind(SimulatedKind.PROBE)
            .transport(transport.coordinator())
            .verifier(verifier)
            .reputation(reputation)
            .trustedBackend(trusted)
            .defaultVerification(spec)
            .clock(lockstep.clock)
            .executor(lockstep.coordinatorExecutor())
            .seed(seed)
            .leaseDuration(Duration.ofDays(1))
            .initialBatch(batch)
            .maxBatch(batch)
            .targetBatch(Duration.ofHours(1))
            .maxQueuedTasks(Math.max(1_000_000, 2 * (taskCount + padding)))
            .build();
    try {
      lockstep.attach(
          pool,
          TaskSpec.builder(SimulatedKind.PROBE.id(), SimulatedKind.PROBE.inputCodec().encode(0L))
              .build());
      // All tasks are queued before any worker joins, in chunks of the pool's per-call limit.
      List<TaskHandle> all = new ArrayList<>(specs.size());
      for (int from = 0; from < specs.size(); from += 10_000) {
        all.addAll(pool.submitAll(specs.subList(from, Math.min(specs.size(), from + 10_000))));
      }
      List<TaskHandle> handles = all.subList(0, taskCount);
      for (TaskHandle h : handles) {
        h.result().whenComplete((r, e) -> done.incrementAndGet());
      }
      lockstep.settle();
      for (int i = 0; i < workerCount; i++) {
        String id = String.format(Locale.ROOT, "w%03d", i);
        SaboteurBackend b =
            new SaboteurBackend(adv, bad.get(i), collusionSeed, random.nextLong(), lockstep, i);
        backends.put(new WorkerId(id), b);
        nodes.add(
            WorkerNode.builder()
                .transport(transport.worker())
                .kind(SimulatedKind.INSTANCE)
                .backend(b)
                .id(id)
                .owner("owner-" + id)
                .payoutAddress("pay-" + id)
                .slots(1)
                .window(window)
                .heartbeatInterval(Duration.ofDays(1))
                .memoryHighWater(1.0)
                // each job's results signed and sent as it ends: holding results back to share a
                // signature is a choice made on real time, which the lockstep must not depend on
                .resultGrouping(Duration.ZERO)
                .executor(lockstep.workerExecutor("lockstep-" + id))
                .build()
                .start());
        lockstep.settle();
      }
      while (done.get() < taskCount) {
        long end = lockstep.nextEnd();
        if (end < 0) {
          throw new IllegalStateException(
              "stuck: no batch runs and "
                  + (taskCount - done.get())
                  + " measured tasks are unfinished ("
                  + adv.name()
                  + " / "
                  + policy
                  + ")");
        }
        if (end > lockstep.nowNanos()) {
          // The scheduler's timer (which drops quarantined workers) runs at its first loop after
          // the clock moves: let that happen now, before the batch's results, not racing them.
          lockstep.advanceTo(end);
          lockstep.settle();
        }
        lockstep.releaseNext();
        lockstep.settle();
        steps++;
      }
      for (int i = 0; i < taskCount; i++) {
        TaskHandle h = handles.get(i);
        if (h.result().isCompletedExceptionally()) {
          continue;
        }
        TaskResult r = h.result().join();
        accepted++;
        if (r.output(SimulatedKind.INSTANCE) != SimulatedKind.compute(inputs[i])) {
          wrong++;
        }
      }
    } finally {
      nodes.forEach(WorkerNode::abort);
      pool.close();
      transport.close();
      lockstep.shutdown();
    }
    lastProbes = lockstep.probes();
    long copies = trusted.measuredReturned.get();
    int cheated = 0;
    int honestQuarantined = 0;
    List<Integer> own = new ArrayList<>();
    List<Integer> fromWrong = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      WorkerId id = new WorkerId(String.format(Locale.ROOT, "w%03d", i));
      SaboteurBackend b = backends.get(id);
      if (b == null) {
        continue;
      }
      copies += b.measuredReturned.get();
      Integer at = quarantinedAt.get(id);
      if (b.isSaboteur() && b.firstWrong >= 0) {
        cheated++;
      }
      if (at != null) {
        if (b.isSaboteur()) {
          own.add(at);
          Integer fw = quarantinedFromWrong.get(id);
          if (fw != null) {
            fromWrong.add(fw);
          }
        } else {
          honestQuarantined++;
        }
      }
    }
    return new Row(
        adv.name(),
        policy,
        taskCount,
        accepted,
        wrong,
        copies,
        saboteurs,
        cheated,
        List.copyOf(own),
        List.copyOf(fromWrong),
        honestQuarantined,
        steps,
        lockstep.nowNanos() / 1_000_000_000L);
  }
}
