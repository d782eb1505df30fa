package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Reputation;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.verify.Verifier;
import io.poolforge.compute.core.verify.Verifier.Decision;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A discrete-event simulation of the coordinator's scheduling loop, faithful to what matters for
 * verification: a pool of workers with exponential service times pulls copies of tasks; replicas of
 * a task go to distinct workers (every worker has its own owner here) and are served before new
 * tasks; each returned result is passed to the real {@link Verifier} with the task's view, and its
 * {@link Decision} is carried out (more replicas, wait, trusted recompute, accept, fail);
 * quarantined workers get no more work and their in-flight results are dropped and replaced. It
 * stands in for the engine's scheduler, which is not on main yet; leases, signatures, transport and
 * persistence are not simulated. Single-threaded and deterministic for a seed.
 */
final class SimulatedScheduler {
  private static final long COLLUSION_MASK = 0x5A5A_5A5A_5A5A_5A5AL;

  private final Verifier verifier;
  private final Reputation reputation;
  private final VerificationSpec spec;
  private final Adversary adversary;
  private final int taskCount;
  private final SimClock clock;
  private final SplittableRandom random;
  private final long collusionSeed;

  private final List<SimWorker> workers = new ArrayList<>();
  private final java.util.Map<WorkerId, SimWorker> byId = new java.util.HashMap<>();
  private final ArrayDeque<SimWorker> idle = new ArrayDeque<>();
  private final ArrayDeque<SimTask> pending = new ArrayDeque<>();
  private final PriorityQueue<Completion> events = new PriorityQueue<>();
  private double now;
  private long seq;
  private int created;

  private long accepted;
  private long wrongAccepted;
  private long executions;
  private long trusted;
  private long failed;

  SimulatedScheduler(
      Verifier verifier,
      Reputation reputation,
      VerificationSpec spec,
      Adversary adversary,
      int workerCount,
      int taskCount,
      SimClock clock,
      long seed) {
    this.verifier = verifier;
    this.reputation = reputation;
    this.spec = spec;
    this.adversary = adversary;
    this.taskCount = taskCount;
    this.clock = clock;
    this.random = new SplittableRandom(seed);
    this.collusionSeed = random.nextLong();
    int saboteurs = (int) Math.round(adversary.fraction() * workerCount);
    List<Boolean> bad = new ArrayList<>();
    for (int i = 0; i < workerCount; i++) {
      bad.add(i < saboteurs);
    }
    Collections.shuffle(bad, new java.util.Random(random.nextLong()));
    for (int i = 0; i < workerCount; i++) {
      SimWorker w =
          new SimWorker(
              new WorkerId(String.format("w%04d", i)),
              bad.get(i),
              bad.get(i) ? adversary.slowdown() : 1.0);
      workers.add(w);
      byId.put(w.id, w);
      idle.add(w);
    }
  }

  /** Runs until every task has been accepted or failed. */
  Outcome run() {
    clock.setSeconds(0);
    dispatch();
    while (!events.isEmpty()) {
      Completion c = events.poll();
      now = c.time;
      clock.setSeconds(now);
      complete(c);
      dispatch();
    }
    List<Integer> fromStart = new ArrayList<>();
    List<Integer> fromFirstWrong = new ArrayList<>();
    int saboteurs = 0;
    int cheated = 0;
    int honestQuarantined = 0;
    for (SimWorker w : workers) {
      if (w.saboteur) {
        saboteurs++;
        if (w.firstWrong >= 0) {
          cheated++;
        }
        if (w.quarantinedAt >= 0) {
          fromStart.add(w.quarantinedAt);
          fromFirstWrong.add(w.quarantinedAt - Math.max(0, w.firstWrong - 1));
        }
      } else if (w.quarantinedAt >= 0) {
        honestQuarantined++;
      }
    }
    return new Outcome(
        accepted,
        wrongAccepted,
        executions,
        trusted,
        failed,
        saboteurs,
        cheated,
        fromStart,
        fromFirstWrong,
        honestQuarantined);
  }

  private void dispatch() {
    int n = idle.size();
    for (int i = 0; i < n; i++) {
      SimWorker w = idle.poll();
      if (reputation.quarantined(w.id)) {
        noteQuarantine(w);
        continue; // no more work for it
      }
      SimTask t = nextFor(w);
      if (t == null) {
        idle.add(w);
        continue;
      }
      assign(w, t);
    }
  }

  private @Nullable SimTask nextFor(SimWorker w) {
    Iterator<SimTask> it = pending.iterator();
    int scanned = 0;
    while (it.hasNext() && scanned++ < 4096) {
      SimTask t = it.next();
      if (t.done) {
        it.remove();
        continue;
      }
      if (!t.used.contains(w.id)) {
        it.remove();
        return t;
      }
    }
    if (created < taskCount) {
      created++;
      long input = random.nextLong();
      TaskSpec ts =
          TaskSpec.builder(
                  SimulatedKind.INSTANCE.id(), SimulatedKind.INSTANCE.inputCodec().encode(input))
              .verification(spec)
              .build();
      SimTask t = new SimTask(new TaskId(created), input, ts);
      t.requested = verifier.initialCopies(ts, spec);
      for (int i = 1; i < t.requested; i++) {
        pending.addFirst(t);
      }
      return t;
    }
    return null;
  }

  private void assign(SimWorker w, SimTask t) {
    t.used.add(w.id);
    t.attempts++;
    w.ownTasks++;
    double service = -Math.log(1.0 - random.nextDouble()) * w.meanService;
    events.add(new Completion(now + service, seq++, w, t, t.attempts, w.ownTasks));
  }

  private void complete(Completion c) {
    SimWorker w = c.worker;
    SimTask t = c.task;
    executions++;
    idle.add(w);
    if (t.done) {
      return; // a copy still running when the task was settled
    }
    if (reputation.quarantined(w.id)) {
      noteQuarantine(w);
      pending.addFirst(t); // its result is dropped; a replacement copy stands in for it
      return;
    }
    long truth = SimulatedKind.compute(t.input);
    long output = answer(w, t, truth, c.ownIndex);
    t.results.add(
        new WorkResult(
            new LeaseRef(t.id, c.attempt),
            w.id,
            "cpu",
            SimulatedKind.INSTANCE.outputCodec().encode(output),
            null,
            0,
            Bytes.EMPTY));
    apply(t, verifier.judge(view(t), t.results), truth);
  }

  private long answer(SimWorker w, SimTask t, long truth, int ownIndex) {
    if (!w.saboteur || ownIndex <= adversary.honestFirst()) {
      return truth;
    }
    boolean cheat;
    long wrong;
    if (adversary.colluding()) {
      // Colluders cheat on the same tasks (a shared coin) with the same wrong answer.
      long h = SimulatedKind.compute(t.input ^ collusionSeed);
      cheat = (h >>> 11) * 0x1.0p-53 < adversary.wrongProbability();
      wrong = truth ^ COLLUSION_MASK;
    } else {
      cheat = random.nextDouble() < adversary.wrongProbability();
      wrong = truth ^ (random.nextLong() | 1L);
    }
    if (!cheat) {
      return truth;
    }
    if (w.firstWrong < 0) {
      w.firstWrong = ownIndex;
    }
    return wrong;
  }

  private Verifier.TaskView view(SimTask t) {
    return new Verifier.TaskView(t.spec, SimulatedKind.INSTANCE, spec, t.requested);
  }

  private void apply(SimTask t, Decision d, long truth) {
    switch (d) {
      case Decision.Accept a -> {
        t.done = true;
        accepted++;
        long out = SimulatedKind.INSTANCE.outputCodec().decode(a.winner().output());
        if (out != truth) {
          wrongAccepted++;
        }
        noteQuarantines(t);
      }
      case Decision.Replicate r -> {
        t.requested += r.copies();
        for (int i = 0; i < r.copies(); i++) {
          pending.addFirst(t);
        }
        noteQuarantines(t);
      }
      case Decision.Wait w -> {}
      case Decision.RecomputeTrusted rt -> {
        trusted++;
        apply(
            t,
            verifier.judgeWithTruth(
                view(t), t.results, SimulatedKind.INSTANCE.outputCodec().encode(truth)),
            truth);
      }
      case Decision.Fail f -> {
        t.done = true;
        failed++;
        noteQuarantines(t);
      }
    }
  }

  private void noteQuarantines(SimTask t) {
    for (WorkResult r : t.results) {
      if (reputation.quarantined(r.worker())) {
        noteQuarantine(byId.get(r.worker()));
      }
    }
  }

  private static void noteQuarantine(SimWorker w) {
    if (w.quarantinedAt < 0) {
      w.quarantinedAt = w.ownTasks;
    }
  }

  /** What one run measured. */
  record Outcome(
      long accepted,
      long wrongAccepted,
      long executions,
      long trusted,
      long failed,
      int saboteurs,
      int saboteursThatCheated,
      List<Integer> quarantinedAfterOwnTasks,
      List<Integer> quarantinedAfterFirstWrong,
      int honestQuarantined) {}

  private static final class SimWorker {
    final WorkerId id;
    final boolean saboteur;
    final double meanService;
    int ownTasks;
    int firstWrong = -1;
    int quarantinedAt = -1;

    SimWorker(WorkerId id, boolean saboteur, double meanService) {
      this.id = id;
      this.saboteur = saboteur;
      this.meanService = meanService;
    }
  }

  private static final class SimTask {
    final TaskId id;
    final long input;
    final TaskSpec spec;
    final List<WorkResult> results = new ArrayList<>(2);
    final Set<WorkerId> used = new HashSet<>(4);
    int requested;
    int attempts;
    boolean done;

    SimTask(TaskId id, long input, TaskSpec spec) {
      this.id = id;
      this.input = input;
      this.spec = spec;
    }
  }

  private record Completion(
      double time, long seq, SimWorker worker, SimTask task, int attempt, int ownIndex)
      implements Comparable<Completion> {
    @Override
    public int compareTo(Completion o) {
      int c = Double.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
