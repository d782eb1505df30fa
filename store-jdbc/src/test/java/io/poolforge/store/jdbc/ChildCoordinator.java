package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
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
 *   <li>{@code ha <url> <holder>}: schedules only while holding the leader lease ({@code LEADER
 *       token}); on taking over, requeues tasks left RUNNING by the former leader; prints {@code
 *       DONE id holder} per completed task.
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
    if (mode.equals("ha")) {
      b.holder(args[2]).leaseTtl(Duration.ofSeconds(3));
    }
    try (Stores stores = b.build()) {
      switch (mode) {
        case "crash" -> crash(stores, out);
        case "finish" -> finish(stores, out);
        case "ha" -> ha(stores, args[2], out);
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

  private static void ha(Stores stores, String holder, PrintStream out)
      throws InterruptedException {
    LeaderLease lease = stores.leaderLease().orElseThrow();
    WorkerId me = new WorkerId(holder);
    boolean leader = false;
    out.println("STANDBY");
    out.flush();
    while (true) {
      lease.tryAcquire();
      if (!lease.isHeld()) {
        leader = false;
        Thread.sleep(200);
        continue;
      }
      if (!leader) {
        leader = true;
        // Taking over: the former leader's tenure ended, so its RUNNING assignments are void.
        List<TaskRecord> orphans = new ArrayList<>();
        stores
            .tasks()
            .forEachUnfinished(
                r -> {
                  if (r.state() == TaskState.RUNNING) {
                    orphans.add(
                        new TaskRecord(
                            r.id(),
                            r.spec(),
                            TaskState.QUEUED,
                            r.attempts(),
                            r.submittedAt(),
                            Instant.now(),
                            null,
                            null,
                            null,
                            null));
                  }
                });
        if (!orphans.isEmpty()) {
          stores.tasks().update(orphans);
        }
        out.println("LEADER " + lease.fencingToken() + " requeued " + orphans.size());
        out.flush();
      }
      List<TaskRecord> page = stores.tasks().list(TaskState.QUEUED, null, 40).items();
      if (page.isEmpty()) {
        Thread.sleep(100);
        continue;
      }
      List<TaskRecord> running =
          page.stream()
              .map(
                  r ->
                      new TaskRecord(
                          r.id(),
                          r.spec(),
                          TaskState.RUNNING,
                          r.attempts() + 1,
                          r.submittedAt(),
                          Instant.now(),
                          me,
                          null,
                          null,
                          null))
              .toList();
      stores.tasks().update(running);
      Thread.sleep(50); // the work
      if (!lease.isHeld()) {
        continue; // lost the lease meanwhile: the results are dropped, the next leader reruns
      }
      List<TaskRecord> done = running.stream().map(r -> completed(r, me)).toList();
      stores.tasks().update(done);
      StringBuilder sb = new StringBuilder();
      for (TaskRecord r : done) {
        sb.append("DONE ").append(r.id().value()).append(' ').append(holder).append('\n');
      }
      out.print(sb);
      out.flush();
    }
  }
}
