package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A coordinator reduced to its store traffic, run in a child JVM by the crash and failover tests.
 * It prints one line per durable step to stdout, flushed, only after the store call returned:
 *
 * <ul>
 *   <li>{@code crash <url>}: group-commits batches of submissions ({@code ACK first count}),
 *       completes earlier ones and credits them, forever, until killed;
 *   <li>{@code finish <url>}: recovers after a crash: credits every completed task (a credit that
 *       already exists is skipped), completes and credits every unfinished task, prints {@code
 *       FINISHED}, exits;
 * </ul>
 */
public final class ChildCoordinator {
  static final int BATCH = 500;
  static final WorkerId WORKER = new WorkerId("crash-worker");

  private ChildCoordinator() {}

  /** The credit a completed task earns; the test recomputes it. */
  static BigInteger amountOf(long id) {
    return BigInteger.valueOf(id % 7 + 1);
  }

  static TaskRecord completed(TaskRecord r, WorkerId worker) {
    Instant now = Instant.now();
    return new TaskRecord(
        r.id(),
        r.spec(),
        TaskState.COMPLETED,
        r.attempts() + 1,
        r.submittedAt(),
        now,
        worker,
        Bytes.wrap(Long.toString(r.id().value()).getBytes()),
        null,
        null);
  }

  static CreditRecord creditOf(TaskRecord r) {
    return new CreditRecord(
        r.id(),
        r.worker(),
        "0xpay" + (r.id().value() % 3),
        0,
        amountOf(r.id().value()),
        r.updatedAt());
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String mode = args[0];
    String url = args[1];
    JdbcStores.Builder b = JdbcStores.builder().url(url).maxConnections(4);
    try (Stores stores = b.build()) {
      switch (mode) {
        case "crash" -> crash(stores, out);
        case "finish" -> finish(stores, out);
        default -> throw new IllegalArgumentException(mode);
      }
    }
  }

  private static void crash(Stores stores, PrintStream out) {
    TaskSpec spec = TaskSpec.builder("sha256", Bytes.wrap(new byte[64])).build();
    Deque<TaskRecord> queued = new ArrayDeque<>();
    out.println("READY");
    out.flush();
    while (true) {
      long first = stores.tasks().reserveIds(BATCH);
      List<TaskRecord> batch = new ArrayList<>(BATCH);
      Instant now = Instant.now();
      for (int i = 0; i < BATCH; i++) {
        batch.add(TaskRecord.queued(new TaskId(first + i), spec, now));
      }
      stores.tasks().insert(batch);
      out.println("ACK " + first + " " + BATCH);
      out.flush();
      queued.addAll(batch);
      // complete and credit half a batch of older work, as verified results would be
      List<TaskRecord> done = new ArrayList<>();
      while (done.size() < BATCH / 2 && queued.size() > BATCH) {
        done.add(completed(queued.poll(), WORKER));
      }
      if (!done.isEmpty()) {
        stores.tasks().update(done);
        stores.ledger().credit(done.stream().map(ChildCoordinator::creditOf).toList());
        out.println("COMPLETED " + done.size());
        out.flush();
      }
    }
  }

  static void finish(Stores stores, PrintStream out) {
    // a crash may fall between completing a task and crediting it: credit every completed task
    String cursor = null;
    do {
      Page<TaskRecord> page = stores.tasks().list(TaskState.COMPLETED, cursor, 5_000);
      stores.ledger().credit(page.items().stream().map(ChildCoordinator::creditOf).toList());
      cursor = page.nextCursor();
    } while (cursor != null);
    List<TaskRecord> unfinished = new ArrayList<>();
    stores.tasks().forEachUnfinished(unfinished::add);
    for (int i = 0; i < unfinished.size(); i += BATCH) {
      List<TaskRecord> done =
          unfinished.subList(i, Math.min(unfinished.size(), i + BATCH)).stream()
              .map(r -> completed(r, WORKER))
              .toList();
      stores.tasks().update(done);
      stores.ledger().credit(done.stream().map(ChildCoordinator::creditOf).toList());
    }
    out.println("FINISHED " + unfinished.size());
    out.flush();
  }
}
