package io.poolforge.examples.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints a {@link DemoReport} as the demo's closing summary. Stateless. */
final class SummaryTable {
  private SummaryTable() {}

  static void print(DemoReport r, PrintStream out) {
    int total = r.completed() + r.failed();
    out.println();
    out.printf(
        Locale.ROOT,
        "PoolForge demo summary: %,d tasks on %d workers in %.1f s (%,.1f tasks/s)%n%n",
        total,
        r.workers().size(),
        r.seconds(),
        total / Math.max(1e-3, r.seconds()));
    out.printf(
        Locale.ROOT,
        "%-8s %8s %8s %7s %15s %10s  %s%n",
        "kind",
        "tasks",
        "done",
        "failed",
        "cost units",
        "tasks/s",
        "items/s over the run");
    for (DemoReport.KindRow k : r.kinds()) {
      out.printf(
          Locale.ROOT,
          "%-8s %,8d %,8d %,7d %,15d %,10.1f  %s%n",
          k.kind(),
          k.submitted(),
          k.completed(),
          k.failed(),
          k.costUnits(),
          k.completed() / Math.max(1e-3, k.seconds()),
          k.detail());
    }
    out.println();
    Map<String, Integer> methods = new TreeMap<>(r.verification());
    StringBuilder v = new StringBuilder("verification:");
    methods.forEach(
        (m, n) -> v.append(' ').append(m).append('=').append(String.format(Locale.ROOT, "%,d", n)));
    out.println(methods.isEmpty() ? "verification: no events" : v);
    if (r.quarantined().isEmpty()) {
      out.println("caught cheating: nobody");
    } else {
      new TreeMap<>(r.quarantined())
          .forEach((w, why) -> out.println("caught cheating: " + w + " quarantined (" + why + ")"));
    }
    out.printf(
        Locale.ROOT,
        "known answers: genesis nonce 2083236893 %s; %d pow ranges found a nonce; %,d RSA signatures pass s^e mod n == m%n",
        r.genesisFound() ? "found" : "NOT found",
        r.powFound(),
        r.rsaChecked());
    out.println();
    out.printf(
        Locale.ROOT,
        "%-10s %-8s %8s %15s %15s%n",
        "worker",
        "backend",
        "tasks",
        "cost units",
        "credits");
    for (DemoReport.WorkerRow w : r.workers()) {
      out.printf(
          Locale.ROOT,
          "%-10s %-8s %,8d %,15d %15s%n",
          w.worker(),
          w.backend(),
          w.tasks(),
          w.costUnits(),
          w.credits() == null ? "-" : String.format(Locale.ROOT, "%,d", w.credits()));
    }
    out.println();
    out.println(
        r.merkleRoot() == null
            ? "epoch: " + r.ledgerNote()
            : "epoch Merkle root: 0x" + r.merkleRoot() + " (" + r.ledgerNote() + ")");
    out.println(r.frame() == null ? "frame: not written" : "frame: " + r.frame());
  }
}
