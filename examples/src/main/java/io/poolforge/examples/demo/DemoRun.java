package io.poolforge.examples.demo;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskResult;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderOutput;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.store.InMemoryLedgerStore;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.verify.CredibilityTracker;
import io.poolforge.compute.core.verify.CredibilityVerifier;
import io.poolforge.compute.core.verify.Forfeiter;
import io.poolforge.compute.core.worker.WorkerNode;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One demo run: an embedded coordinator, in-process workers on every available backend (the CPU
 * backend once per {@code --workers}, each other available backend once), the mixed workload, and
 * the report. Not thread-safe; {@link #run} blocks until every task has ended.
 */
final class DemoRun {
  private static final long TIMEOUT_MINUTES = 5;

  private final DemoOptions options;
  private final PrintStream out;
  private final boolean interactive;
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final Map<String, String> quarantined = new ConcurrentHashMap<>();

  DemoRun(DemoOptions options, PrintStream out, boolean interactive) {
    this.options = options;
    this.out = out;
    this.interactive = interactive;
  }

  /** A worker the demo started. */
  private record Started(WorkerNode node, ComputeBackend backend, String backendId) {}

  /** Per-worker tallies. */
  private static final class Tally {
    final AtomicInteger tasks = new AtomicInteger();
    final AtomicLong units = new AtomicLong();
  }

  DemoReport run() throws InterruptedException {
    long t0 = System.nanoTime();
    Workload workload = Workload.generate(options);
    List<Workload.Job> jobs = workload.jobs();
    Map<String, Integer> totals = new LinkedHashMap<>();
    jobs.forEach(j -> totals.merge(j.kind(), 1, Integer::sum));
    out.printf(
        Locale.ROOT,
        "workload (seed %d, generated in %.1f s): %s%n",
        options.seed(),
        (System.nanoTime() - t0) / 1e9,
        totals.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
            .collect(Collectors.joining(", ")));

    List<TaskKind<?, ?>> kinds = BuiltinKinds.all();
    Map<String, Integer> verification = new ConcurrentHashMap<>();
    List<Started> workers = new ArrayList<>();
    ComputeBackend trusted = cpuProvider().create();
    try (InProcessTransport transport = InProcessTransport.create();
        DefaultRewardLedger ledger =
            DefaultRewardLedger.builder().store(new InMemoryLedgerStore()).build()) {
      // spot-checks: a newcomer's result is replicated on another worker at this rate, less as
      // its credibility grows; every kind's cheap check runs first; disagreements are settled
      // by a trusted recompute on the coordinator's own CPU backend. With fewer than three
      // workers the demo uses the cheap checks alone: with two, some spot-checked tasks were
      // seen to wait forever for their replica (reported to the engine's owners).
      VerificationSpec verificationSpec =
          options.workers() >= 3
              ? VerificationSpec.spotCheck(SPOT_CHECK_RATE)
              : VerificationSpec.cheapCheckOnly();
      // A worker caught cheating is quarantined: no more work, and its open-epoch credits are
      // forfeited to the ledger.
      CredibilityTracker reputation =
          CredibilityTracker.builder().forfeiter(Forfeiter.of(ledger)).build();
      Coordinator.Builder builder =
          Coordinator.builder()
              .transport(transport.coordinator())
              .verifier(
                  CredibilityVerifier.builder()
                      .reputation(reputation)
                      .random(new SplittableRandom(options.seed()))
                      .build())
              .reputation(reputation)
              .defaultVerification(verificationSpec)
              .trustedBackend(trusted)
              .ledger(ledger)
              .seed(options.seed());
      kinds.forEach(builder::kind);
      Pool pool = builder.build();
      DemoReport report;
      try {
        pool.events().subscribe(new EventCounter(verification, quarantined));
        startWorkers(transport, kinds, workers);
        out.println(
            "workers: "
                + workers.stream()
                    .map(w -> w.node().id().value() + " (" + w.backendId() + ")")
                    .collect(Collectors.joining(", ")));
        report = execute(pool, workload, totals, workers, verification);
      } finally {
        for (Started w : workers) {
          w.node().close();
        }
        pool.close();
        for (Started w : workers) {
          w.backend().close();
        }
      }
      return settle(report, ledger);
    } finally {
      trusted.close();
    }
  }

  /** The initial spot-check rate of a worker without credibility. */
  static final double SPOT_CHECK_RATE = 0.1;

  private static ComputeBackendProvider cpuProvider() {
    for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
      if (p.id().equals("cpu") && p.isAvailable()) {
        return p;
      }
    }
    throw new PoolException(ErrorCode.UNAVAILABLE, "the demo needs backend-cpu on the class path");
  }

  /**
   * Waits until the ledger holds every credit of the run (the engine credits off its scheduler
   * thread), closes the epoch and adds its Merkle root and per-worker credits to the report.
   */
  private DemoReport settle(DemoReport report, DefaultRewardLedger ledger)
      throws InterruptedException {
    // A quarantined worker forfeits its credits of the epoch, so only the others' are awaited.
    long expected =
        report.workers().stream()
            .filter(w -> !quarantined.containsKey(w.worker()))
            .mapToLong(DemoReport.WorkerRow::costUnits)
            .sum();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long credited = 0;
    while (System.nanoTime() < deadline) {
      credited = ledger.totals().values().stream().mapToLong(BigInteger::longValue).sum();
      if (credited >= expected) {
        break;
      }
      Thread.sleep(50);
    }
    EpochStatement statement = ledger.closeEpoch();
    Map<String, BigInteger> byAddress = new HashMap<>();
    for (Payout p : statement.entries()) {
      byAddress.put(p.address().toLowerCase(Locale.ROOT), p.amount());
    }
    List<DemoReport.WorkerRow> rows = new ArrayList<>();
    for (DemoReport.WorkerRow w : report.workers()) {
      rows.add(
          new DemoReport.WorkerRow(
              w.worker(),
              w.backend(),
              w.tasks(),
              w.costUnits(),
              byAddress.getOrDefault(addresses.get(w.worker()), BigInteger.ZERO)));
    }
    String note =
        String.format(
            Locale.ROOT,
            "epoch %d, %d payees, %,d of %,d cost units credited%s",
            statement.epoch(),
            statement.entries().size(),
            credited,
            expected,
            credited >= expected ? "" : " (credits still pending when the epoch closed)");
    return new DemoReport(
        report.seconds(),
        report.kinds(),
        rows,
        report.verification(),
        report.powFound(),
        report.genesisFound(),
        report.rsaChecked(),
        report.frame(),
        statement.merkleRoot().toHex(),
        note,
        quarantined);
  }

  private void startWorkers(
      InProcessTransport transport, List<TaskKind<?, ?>> kinds, List<Started> started) {
    List<ComputeBackendProvider> providers = new ArrayList<>();
    for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
      if (p.isAvailable()) {
        providers.add(p);
      } else {
        out.println("backend '" + p.id() + "': not available on this machine, skipped");
      }
    }
    int index = 0;
    for (ComputeBackendProvider p : providers) {
      int copies = p.id().equals("cpu") ? options.workers() : 1;
      for (int c = 0; c < copies; c++) {
        ComputeBackend backend;
        try {
          backend = p.create();
        } catch (RuntimeException e) {
          out.println(
              "backend '" + p.id() + "': could not start (" + e.getMessage() + "), skipped");
          break;
        }
        index++;
        WorkerNode.Builder b =
            WorkerNode.builder()
                .transport(transport.worker())
                .backend(backend)
                .id(p.id() + "-" + (c + 1))
                .owner("demo-owner-" + index)
                .payoutAddress(payoutAddress(index));
        Set<String> runs = backend.kinds();
        int known = 0;
        for (TaskKind<?, ?> k : kinds) {
          if (runs.contains(k.id())) {
            b.kind(k);
            known++;
          }
        }
        if (known == 0) {
          backend.close();
          continue;
        }
        addresses.put(p.id() + "-" + (c + 1), payoutAddress(index));
        started.add(new Started(b.build().start(), backend, p.id()));
      }
    }
    if (started.isEmpty()) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "no compute backend is available for the demo");
    }
    for (int c = 1; c <= options.cheaters(); c++) {
      index++;
      String id = "cheater-" + c;
      ComputeBackend backend = new CheatingBackend(cpuProvider().create());
      WorkerNode.Builder b =
          WorkerNode.builder()
              .transport(transport.worker())
              .backend(backend)
              .id(id)
              .owner("demo-owner-" + index)
              .payoutAddress(payoutAddress(index));
      kinds.stream().filter(k -> backend.kinds().contains(k.id())).forEach(b::kind);
      addresses.put(id, payoutAddress(index));
      started.add(new Started(b.build().start(), backend, "forger"));
    }
  }

  /** A 20-byte EVM-style address derived from the worker's number. */
  static String payoutAddress(int index) {
    return String.format(Locale.ROOT, "0x%040x", 0xd3300L + index);
  }

  private DemoReport execute(
      Pool pool,
      Workload workload,
      Map<String, Integer> totals,
      List<Started> workers,
      Map<String, Integer> verification)
      throws InterruptedException {
    List<Workload.Job> jobs = workload.jobs();
    // interleave the kinds, as a real mixed load arrives
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(options.seed()));

    Map<String, Tally> perWorker = new ConcurrentHashMap<>();
    Map<String, AtomicLong> unitsPerKind = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> completedPerKind = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> failedPerKind = new ConcurrentHashMap<>();
    Map<String, AtomicLong> lastNanos = new ConcurrentHashMap<>();
    totals
        .keySet()
        .forEach(
            k -> {
              unitsPerKind.put(k, new AtomicLong());
              completedPerKind.put(k, new AtomicInteger());
              failedPerKind.put(k, new AtomicInteger());
              lastNanos.put(k, new AtomicLong());
            });
    TaskResult[] results = new TaskResult[jobs.size()];
    List<CompletableFuture<?>> futures = new ArrayList<>(jobs.size());
    long start = System.nanoTime();
    try (Progress progress = new Progress(out, interactive, totals)) {
      for (int from = 0; from < order.size(); from += io.poolforge.compute.api.Page.MAX_LIMIT) {
        List<Integer> chunk =
            order.subList(
                from, Math.min(order.size(), from + io.poolforge.compute.api.Page.MAX_LIMIT));
        List<TaskSpec> specs = chunk.stream().map(i -> jobs.get(i).spec()).toList();
        List<TaskHandle> handles = pool.submitAll(specs);
        for (int h = 0; h < handles.size(); h++) {
          int index = chunk.get(h);
          Workload.Job job = jobs.get(index);
          futures.add(
              handles
                  .get(h)
                  .result()
                  .whenComplete(
                      (r, error) -> {
                        lastNanos.get(job.kind()).accumulateAndGet(System.nanoTime(), Math::max);
                        if (error != null) {
                          failedPerKind.get(job.kind()).incrementAndGet();
                          progress.failed(job.kind());
                          return;
                        }
                        results[index] = r;
                        completedPerKind.get(job.kind()).incrementAndGet();
                        unitsPerKind.get(job.kind()).addAndGet(job.costUnits());
                        Tally t = perWorker.computeIfAbsent(r.worker().value(), w -> new Tally());
                        t.tasks.incrementAndGet();
                        t.units.addAndGet(job.costUnits());
                        progress.completed(job.kind());
                      }));
        }
      }
      try {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .exceptionally(e -> null)
            .get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
      } catch (ExecutionException | TimeoutException e) {
        throw new PoolException(ErrorCode.DEADLINE_EXCEEDED, "the demo did not finish in time", e);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return report(
        workload,
        results,
        totals,
        workers,
        perWorker,
        unitsPerKind,
        completedPerKind,
        failedPerKind,
        lastNanos,
        start,
        seconds,
        verification);
  }

  private DemoReport report(
      Workload workload,
      TaskResult[] results,
      Map<String, Integer> totals,
      List<Started> workers,
      Map<String, Tally> perWorker,
      Map<String, AtomicLong> unitsPerKind,
      Map<String, AtomicInteger> completedPerKind,
      Map<String, AtomicInteger> failedPerKind,
      Map<String, AtomicLong> lastNanos,
      long start,
      double seconds,
      Map<String, Integer> verification) {
    List<Workload.Job> jobs = workload.jobs();
    int powFound = 0;
    boolean genesisFound = false;
    int rsaChecked = 0;
    long hashes = 0;
    long hashBytes = 0;
    long nonces = 0;
    long samples = 0;
    List<RenderOutput> tiles = new ArrayList<>();
    boolean frameComplete = true;
    for (int i = 0; i < jobs.size(); i++) {
      Workload.Job job = jobs.get(i);
      TaskResult r = results[i];
      switch (job.kind()) {
        case "sha256" -> {
          if (r != null) {
            var in = (io.poolforge.compute.core.kinds.Sha256Input) job.input();
            hashes += in.messages().size();
            hashBytes += in.messages().stream().mapToLong(m -> m.size()).sum();
          }
        }
        case "pow" -> {
          if (r != null) {
            var in = (io.poolforge.compute.core.kinds.PowInput) job.input();
            nonces += in.length();
            PowOutput o = r.output(BuiltinKinds.pow());
            if (o.outcome() == PowOutput.Outcome.FOUND) {
              powFound++;
              if (i == workload.genesisJob() && o.nonce() == Workload.GENESIS_NONCE) {
                genesisFound = true;
              }
            }
          }
        }
        case "modexp" -> {
          if (r != null) {
            ModExpInput in = (ModExpInput) job.input();
            ModExpOutput o = r.output(BuiltinKinds.modexp());
            for (int s = 0; s < in.ops().size(); s++) {
              ModExpOp op = in.ops().get(s);
              BigInteger sig = o.results().get(s);
              if (sig.modPow(op.publicExponent(), op.modulus()).equals(op.base())) {
                rsaChecked++;
              }
            }
          }
        }
        case "render" -> {
          if (r == null) {
            frameComplete = false;
          } else {
            var in = (io.poolforge.compute.core.kinds.RenderInput) job.input();
            samples += (long) in.pixels() * in.spp();
            tiles.add(r.output(BuiltinKinds.render()));
          }
        }
        default -> throw new IllegalStateException(job.kind());
      }
    }
    Path frame = null;
    if (frameComplete && !tiles.isEmpty()) {
      RenderOutput merged =
          BuiltinKinds.render().splitter().orElseThrow().merge(workload.frame(), tiles);
      frame = options.outputDir().resolve("frame.png");
      FrameImage.writePng(merged, frame);
    }
    Map<String, String> details = new HashMap<>();
    details.put(
        "sha256",
        rate(hashes, "hashes", start, lastNanos.get("sha256"))
            + String.format(
                Locale.ROOT,
                ", %.1f MB/s",
                hashBytes / 1e6 / secondsOf(start, lastNanos.get("sha256"))));
    details.put("pow", rate(nonces, "nonces", start, lastNanos.get("pow")));
    details.put("modexp", rate(rsaChecked, "RSA-2048 signatures", start, lastNanos.get("modexp")));
    details.put(
        "render",
        rate(samples, "samples", start, lastNanos.get("render"))
            + String.format(
                Locale.ROOT, ", %dx%d @ %d spp", options.width(), options.height(), options.spp()));
    List<DemoReport.KindRow> kindRows = new ArrayList<>();
    for (String kind : totals.keySet()) {
      kindRows.add(
          new DemoReport.KindRow(
              kind,
              totals.get(kind),
              completedPerKind.get(kind).get(),
              failedPerKind.get(kind).get(),
              unitsPerKind.get(kind).get(),
              secondsOf(start, lastNanos.get(kind)),
              details.getOrDefault(kind, "")));
    }
    List<DemoReport.WorkerRow> workerRows = new ArrayList<>();
    for (Started w : workers) {
      Tally t = perWorker.getOrDefault(w.node().id().value(), new Tally());
      workerRows.add(
          new DemoReport.WorkerRow(
              w.node().id().value(), w.backendId(), t.tasks.get(), t.units.get(), null));
    }
    return new DemoReport(
        seconds,
        kindRows,
        workerRows,
        verification,
        powFound,
        genesisFound,
        rsaChecked,
        frame,
        null,
        "not closed yet",
        Map.of());
  }

  private static double secondsOf(long start, AtomicLong last) {
    return Math.max(1e-3, (last.get() - start) / 1e9);
  }

  private static String rate(long items, String what, long start, AtomicLong last) {
    return String.format(Locale.ROOT, "%,.0f %s/s", items / secondsOf(start, last), what);
  }

  /** Counts verification outcomes from the pool's events. */
  private static final class EventCounter implements Flow.Subscriber<PoolEvent> {
    private final Map<String, Integer> counts;
    private final Map<String, String> quarantined;

    EventCounter(Map<String, Integer> counts, Map<String, String> quarantined) {
      this.counts = counts;
      this.quarantined = quarantined;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(PoolEvent event) {
      switch (event) {
        case PoolEvent.TaskVerified v -> counts.merge(v.method(), 1, Integer::sum);
        case PoolEvent.VerificationFailed f -> counts.merge("failed", 1, Integer::sum);
        case PoolEvent.WorkerQuarantined q -> quarantined.put(q.worker().value(), q.reason());
        default -> {}
      }
    }

    @Override
    public void onError(Throwable throwable) {
      counts.merge("event-stream-error", 1, Integer::sum);
    }

    @Override
    public void onComplete() {}
  }
}
