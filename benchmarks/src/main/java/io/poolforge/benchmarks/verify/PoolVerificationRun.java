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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The saboteur scenarios on a real in-process pool: a {@link Coordinator} with the verifier under
 * test, and one real {@link WorkerNode} per worker whose {@link SaboteurBackend} is honest or a
 * saboteur, over the in-process transport, on real time. Scheduling is the engine's own, so runs
 * are not bit-for-bit repeatable; they cross-check the simulation on a smaller pool.
 *
 * <p>Usage: {@code PoolVerificationRun [--workers N] [--tasks N] [--out FILE]}.
 */
public final class PoolVerificationRun {
  private PoolVerificationRun() {}

  /**
   * Entry point.
   *
   * @param args the options above
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    int workers = 20;
    int tasks = 5_000;
    @Nullable Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Real in-process pool: %d worker nodes, %d tasks per row, one run per row.%n%n",
            workers,
            tasks));
    sb.append(
        "| scenario | policy | accepted-error rate | wrong / accepted | copies per task |"
            + " saboteurs caught / cheated / all | own tasks to quarantine p50 / p99 / max |"
            + " honest quarantined |\n|---|---|---|---|---|---|---|---|\n");
    List<Adversary> scenarios =
        List.of(
            new Adversary("20% wrong p=0.3", 0.20, 0.3, false, 0, 1.0),
            new Adversary("35% colluding p=1", 0.35, 1.0, true, 0, 1.0));
    for (Adversary adv : scenarios) {
      for (String policy : List.of("poolforge", "2-of-2", "fixed-10%")) {
        sb.append(runOne(policy, adv, workers, tasks, 42));
        System.out.print(sb.substring(sb.lastIndexOf("| " + adv.name())));
      }
    }
    if (out != null) {
      Files.writeString(out, sb.toString());
    }
  }

  static String runOne(String policy, Adversary adv, int workerCount, int taskCount, long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Verifier verifier;
    Reputation reputation;
    VerificationSpec spec;
    Map<WorkerId, Integer> quarantinedAt = new ConcurrentHashMap<>();
    Map<WorkerId, SaboteurBackend> backends = new ConcurrentHashMap<>();
    switch (policy) {
      case "poolforge" -> {
        CredibilityTracker tracker = CredibilityTracker.builder().build();
        tracker.addQuarantineListener(
            q -> quarantinedAt.putIfAbsent(q.worker(), backends.get(q.worker()).executed.get()));
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
                quarantinedAt.putIfAbsent(worker, backends.get(worker).executed.get());
              }
            };
        verifier = v;
        reputation = v;
        spec = VerificationSpec.spotCheck(0.10);
      }
      default -> throw new IllegalArgumentException(policy);
    }
    SaboteurBackend trusted = new SaboteurBackend(adv, false, 0, 0);
    long collusionSeed = random.nextLong();
    int saboteurs = (int) Math.round(adv.fraction() * workerCount);
    List<Boolean> bad = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      bad.add(i < saboteurs);
    }
    Collections.shuffle(bad, new java.util.Random(random.nextLong()));
    List<WorkerNode> nodes = new ArrayList<>();
    long wrong = 0;
    long accepted = 0;
    try (InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(SimulatedKind.INSTANCE)
                .transport(transport.coordinator())
                .verifier(verifier)
                .reputation(reputation)
                .trustedBackend(trusted)
                .defaultVerification(spec)
                .build()) {
      for (int i = 0; i < workerCount; i++) {
        String id = String.format("w%03d", i);
        SaboteurBackend b = new SaboteurBackend(adv, bad.get(i), collusionSeed, random.nextLong());
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
                .window(2)
                .build()
                .start());
      }
      List<TaskHandle> handles = new ArrayList<>(taskCount);
      List<Long> inputs = new ArrayList<>(taskCount);
      for (int i = 0; i < taskCount; i++) {
        long x = random.nextLong();
        inputs.add(x);
        handles.add(
            pool.submit(
                TaskSpec.builder(
                        SimulatedKind.INSTANCE.id(), SimulatedKind.INSTANCE.inputCodec().encode(x))
                    .verification(spec)
                    .maxAttempts(20)
                    .build()));
      }
      for (int i = 0; i < taskCount; i++) {
        try {
          TaskResult r = handles.get(i).result().get(120, TimeUnit.SECONDS);
          accepted++;
          if (r.output(SimulatedKind.INSTANCE) != SimulatedKind.compute(inputs.get(i))) {
            wrong++;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          // failed task: counted as not accepted
        }
      }
      nodes.forEach(WorkerNode::close);
    }
    long executions = trusted.executed.get();
    int cheated = 0;
    int honestQuarantined = 0;
    List<Integer> own = new ArrayList<>();
    for (Map.Entry<WorkerId, SaboteurBackend> e : backends.entrySet()) {
      executions += e.getValue().executed.get();
      Integer at = quarantinedAt.get(e.getKey());
      boolean isSaboteur = e.getValue().isSaboteur();
      if (isSaboteur && e.getValue().firstWrong >= 0) {
        cheated++;
      }
      if (at != null) {
        if (isSaboteur) {
          own.add(at);
        } else {
          honestQuarantined++;
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.2e | %d / %d | %.3f | %d / %d / %d | %s | %d |%n",
        adv.name(),
        policy,
        accepted == 0 ? 0.0 : (double) wrong / accepted,
        wrong,
        accepted,
        accepted == 0 ? 0.0 : (double) executions / accepted,
        own.size(),
        cheated,
        saboteurs,
        VerificationSimulation.Totals.percentiles(own),
        honestQuarantined);
  }
}
