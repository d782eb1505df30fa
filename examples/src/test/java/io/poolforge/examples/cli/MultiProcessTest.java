package io.poolforge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.transport.grpc.PoolClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool across processes on loopback: a coordinator JVM ({@code poolforge coordinator} on a
 * SQLite store, with its ledger) and three worker JVMs ({@code poolforge worker}), all children of
 * the test JVM, driven by a {@link PoolClient} from the test. After each run the SQLite file itself
 * is read: every task completed, exactly one credit per task, to the worker of the accepted result.
 */
@Timeout(150)
class MultiProcessTest {
  private static final String WORKER_TOKEN = "mp-worker-token-0123456789";
  private static final String SUBMITTER_TOKEN = "mp-submitter-token-0123456789";
  private static final Pattern LISTENING =
      Pattern.compile("coordinator listening on 127\\.0\\.0\\.1:(\\d+), metrics on :(\\d+)");

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void killChildren() {
    for (ChildJvm c : children) {
      c.close();
    }
  }

  /** A running coordinator child: its gRPC and metrics ports. */
  private record Coordinator(ChildJvm jvm, int port, int metricsPort) {}

  private Coordinator coordinator(String name, Path db, int port) {
    return coordinator(name, db, port, "--lease", "4s");
  }

  /** A coordinator child with {@code options} (lease and grace) added to the common ones. */
  private Coordinator coordinator(String name, Path db, int port, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "coordinator",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--http-port",
                "0",
                "--store",
                "jdbc:sqlite:" + db,
                "--worker-token",
                WORKER_TOKEN,
                "--submitter-token",
                SUBMITTER_TOKEN));
    args.addAll(List.of(options));
    ChildJvm c = ChildJvm.start(dir, name, args.toArray(String[]::new));
    children.add(c);
    c.await("coordinator listening", 60_000);
    Matcher m = LISTENING.matcher(c.output());
    assertThat(m.find()).as("listening line of %s", c.output()).isTrue();
    return new Coordinator(c, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  private ChildJvm worker(String id, int port) {
    ChildJvm w =
        ChildJvm.start(
            dir,
            id,
            "worker",
            "--coordinator",
            "127.0.0.1:" + port,
            "--token",
            WORKER_TOKEN,
            "--id",
            id,
            "--payout",
            payout(id),
            "--backend",
            "cpu",
            "--slots",
            "1",
            "--reconnect",
            "60s");
    children.add(w);
    return w;
  }

  /** A distinct EVM payout address per worker id. */
  static String payout(String id) {
    return String.format("0x%040x", Math.abs((long) id.hashCode()));
  }

  private List<ChildJvm> workers(int port, String... ids) {
    List<ChildJvm> list = new ArrayList<>();
    for (String id : ids) {
      list.add(worker(id, port));
    }
    for (ChildJvm w : list) {
      w.await("worker connected", 60_000);
    }
    return list;
  }

  private double metric(Coordinator c, String name) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.metricsPort() + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(r.body());
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void awaitConnected(Coordinator c, int workers, long timeoutMillis) {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    double seen = Double.NaN;
    while (System.nanoTime() < end) {
      seen = metric(c, "poolforge_workers_connected");
      if (seen == workers) {
        return;
      }
      ChildJvm.sleep(100);
    }
    throw new AssertionError(
        "the coordinator reports " + seen + " connected workers, expected " + workers);
  }

  private static PoolClient client(int port) {
    return PoolClient.builder("127.0.0.1:" + port)
        .token(SUBMITTER_TOKEN)
        .deadline(Duration.ofSeconds(20))
        .build();
  }

  /** A proof-of-work scan of {@code nonces} nonces against a target nothing meets. */
  private static TaskSpec pow(int i, long nonces) {
    byte[] header = new byte[PowInput.HEADER_BYTES];
    header[0] = (byte) i;
    header[1] = (byte) (i >> 8);
    byte[] target = new byte[PowInput.TARGET_BYTES];
    target[PowInput.TARGET_BYTES - 1] = 1;
    PowInput input = PowInput.of(Bytes.of(header), 0, nonces, Bytes.of(target));
    return TaskSpec.builder(BuiltinKinds.pow().id(), BuiltinKinds.pow().inputCodec().encode(input))
        .build();
  }

  private static TaskSpec sha(int i) {
    Sha256Input input = Sha256Input.of(Bytes.of(("message " + i).getBytes(StandardCharsets.UTF_8)));
    return TaskSpec.builder(
            BuiltinKinds.sha256().id(), BuiltinKinds.sha256().inputCodec().encode(input))
        .build();
  }

  /** Polls until every task completed; fails on a failed or cancelled one. */
  private static void awaitCompleted(PoolClient client, List<TaskId> ids, long timeoutMillis) {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    Set<TaskId> open = new HashSet<>(ids);
    while (!open.isEmpty()) {
      for (TaskId id : List.copyOf(open)) {
        TaskStatus s = client.status(id);
        assertThat(s.state())
            .as("%s: %s", id, s.failure())
            .isNotIn(TaskState.FAILED, TaskState.CANCELLED);
        if (s.state() == TaskState.COMPLETED) {
          open.remove(id);
        }
      }
      if (!open.isEmpty()) {
        if (System.nanoTime() > end) {
          throw new AssertionError(
              open.size() + " tasks did not complete, such as " + open.iterator().next());
        }
        ChildJvm.sleep(200);
      }
    }
  }

  /** What the SQLite file holds once the coordinator stopped. */
  private record Durable(
      Map<Long, Integer> state,
      Map<Long, String> worker,
      Map<Long, Integer> attempts,
      Map<Long, String> creditedTo,
      int creditRows) {}

  private static Durable read(Path db) throws SQLException {
    Map<Long, Integer> state = new HashMap<>();
    Map<Long, String> worker = new HashMap<>();
    Map<Long, Integer> attempts = new HashMap<>();
    Map<Long, String> credited = new HashMap<>();
    int rows = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT id, state, worker, attempts FROM tasks")) {
        while (rs.next()) {
          state.put(rs.getLong(1), rs.getInt(2));
          worker.put(rs.getLong(1), rs.getString(3));
          attempts.put(rs.getLong(1), rs.getInt(4));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT task_id, worker FROM credits")) {
        while (rs.next()) {
          rows++;
          credited.put(rs.getLong(1), rs.getString(2));
        }
      }
    }
    return new Durable(state, worker, attempts, credited, rows);
  }

  private static void assertEachCompletedAndCreditedOnce(Durable d, List<TaskId> ids) {
    assertThat(d.state()).hasSize(ids.size());
    for (TaskId id : ids) {
      assertThat(d.state().get(id.value())).as("state of %s (3 = COMPLETED)", id).isEqualTo(3);
      assertThat(d.creditedTo()).as("credit of %s", id).containsKey(id.value());
    }
    assertThat(d.creditRows()).as("one credit row per task, none twice").isEqualTo(ids.size());
  }

  @Test
  void aCoordinatorAndThreeWorkerProcessesRunAWorkloadToCompletion() throws Exception {
    Path db = dir.resolve("run.db");
    Coordinator c = coordinator("coordinator", db, 0);
    workers(c.port(), "w1", "w2", "w3");
    awaitConnected(c, 3, 30_000);
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      specs.add(pow(i, 20_000));
    }
    for (int i = 0; i < 100; i++) {
      specs.add(sha(i));
    }
    List<TaskId> ids;
    try (PoolClient client = client(c.port())) {
      ids = client.submitAll(specs);
      assertThat(ids).hasSize(specs.size()).doesNotHaveDuplicates();
      awaitCompleted(client, ids, 60_000);
    }
    c.jvm().stop();
    Durable d = read(db);
    assertEachCompletedAndCreditedOnce(d, ids);
    for (TaskId id : ids) {
      assertThat(d.creditedTo().get(id.value())).isEqualTo(d.worker().get(id.value()));
    }
    assertThat(new HashSet<>(d.worker().values()))
        .as("the work was spread over the worker processes")
        .hasSizeGreaterThanOrEqualTo(2)
        .isSubsetOf(Set.of("w1", "w2", "w3"));
  }

  @Test
  void killing9AWorkerMidBatchReassignsItsTasksAndCreditsEachOnce() throws Exception {
    Path db = dir.resolve("kill.db");
    // a long lease and a short reconnect grace: the dead worker's tasks must move after the
    // grace (its connection broke), not wait out the 60 s lease
    Coordinator c = coordinator("coordinator", db, 0, "--lease", "60s", "--reconnect-grace", "2s");
    List<ChildJvm> ws = workers(c.port(), "victim", "w2", "w3");
    awaitConnected(c, 3, 30_000);
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      specs.add(pow(i, 30_000));
    }
    Map<Long, String> completedBy = new ConcurrentHashMap<>();
    AtomicInteger byVictim = new AtomicInteger();
    List<TaskId> ids;
    try (PoolClient client = client(c.port())) {
      client
          .events(List.of())
          .subscribe(
              new Flow.Subscriber<PoolEvent>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                  s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(PoolEvent e) {
                  if (e instanceof PoolEvent.TaskCompleted done) {
                    String w = done.result().worker().value();
                    completedBy.put(done.result().id().value(), w);
                    if (w.equals("victim")) {
                      byVictim.incrementAndGet();
                    }
                  }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onComplete() {}
              });
      ChildJvm.sleep(300); // let the event stream open before the first completion
      ids = client.submitAll(specs);
      long end = System.nanoTime() + 60_000_000_000L;
      while (byVictim.get() < 2) {
        assertThat(System.nanoTime()).as("the victim completed 2 tasks").isLessThan(end);
        ChildJvm.sleep(10);
      }
      ws.get(0).kill();
      long killedAt = System.nanoTime();
      int victimDone = byVictim.get();
      assertThat(completedBy).as("killed mid-run, with work left").hasSizeLessThan(ids.size());
      awaitCompleted(client, ids, 90_000);
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
          .as(
              "the rest of the workload, the dead worker's tasks included, ran well within the lease")
          .isLessThan(Duration.ofSeconds(30));
      assertThat(byVictim.get()).as("nothing completed by a dead worker").isEqualTo(victimDone);
    }
    c.jvm().stop();
    Durable d = read(db);
    assertEachCompletedAndCreditedOnce(d, ids);
    int reassigned = 0;
    for (TaskId id : ids) {
      String w = d.worker().get(id.value());
      assertThat(d.creditedTo().get(id.value()))
          .as("the credit of %s went to the worker of its accepted result", id)
          .isEqualTo(w);
      if (d.attempts().get(id.value()) > 1) {
        reassigned++;
        assertThat(w).as("a reassigned task of the victim").isNotEqualTo("victim");
      }
    }
    assertThat(reassigned).as("tasks the victim held went to other workers").isPositive();
    assertThat(d.worker().values()).contains("victim", "w2", "w3");
  }

  @Test
  void workersReconnectToARestartedCoordinatorAndTheRunCompletes() throws Exception {
    Path db = dir.resolve("restart.db");
    // a grace long enough for the workers' backoff (at most 2 s) after the new JVM starts
    String[] options = {"--lease", "60s", "--reconnect-grace", "10s"};
    Coordinator first = coordinator("coordinator-1", db, 0, options);
    List<ChildJvm> ws = workers(first.port(), "r1", "r2", "r3");
    awaitConnected(first, 3, 30_000);
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      specs.add(pow(i, 30_000));
    }
    List<TaskId> ids;
    try (PoolClient client = client(first.port())) {
      ids = client.submitAll(specs); // durable in SQLite once acknowledged
      long end = System.nanoTime() + 60_000_000_000L;
      while (countCompleted(client, ids) < 4) {
        assertThat(System.nanoTime()).as("some tasks completed").isLessThan(end);
        ChildJvm.sleep(50);
      }
    }
    first.jvm().kill();
    // what the store says was running, on which worker, with which attempt, at the kill
    Durable atKill = read(db);
    Map<Long, String> runningOn = new HashMap<>();
    for (Map.Entry<Long, Integer> e : atKill.state().entrySet()) {
      if (e.getValue() == 1) {
        runningOn.put(e.getKey(), atKill.worker().get(e.getKey()));
      }
    }
    assertThat(runningOn).as("tasks running at the kill").isNotEmpty();
    assertThat(new HashSet<>(runningOn.values())).isSubsetOf(Set.of("r1", "r2", "r3"));
    Coordinator second = null;
    for (int attempt = 0; second == null; attempt++) {
      try {
        second = coordinator("coordinator-2-" + attempt, db, first.port(), options);
      } catch (AssertionError e) {
        if (attempt >= 10) {
          throw e; // the port stayed taken
        }
        ChildJvm.sleep(300);
      }
    }
    // the same worker processes, reconnected by their backoff loop
    awaitConnected(second, 3, 40_000);
    try (PoolClient client = client(second.port())) {
      awaitCompleted(client, ids, 90_000);
    }
    for (ChildJvm w : ws) {
      assertThat(w.alive()).as("%s kept running across the restart", w).isTrue();
    }
    second.jvm().stop();
    Durable d = read(db);
    assertEachCompletedAndCreditedOnce(d, ids);
    // a task its worker resumed completed on that worker with the attempt it had at the kill: it
    // was not assigned again (a task whose result was already on its way when the coordinator
    // died is not presented again, and runs again after the grace)
    int resumed = 0;
    for (Map.Entry<Long, String> e : runningOn.entrySet()) {
      long id = e.getKey();
      if (d.worker().get(id).equals(e.getValue())
          && d.attempts().get(id).equals(atKill.attempts().get(id))) {
        resumed++;
      }
    }
    assertThat(resumed)
        .as("tasks resumed by their worker after the restart, of %d running", runningOn.size())
        .isPositive();
  }

  private static int countCompleted(PoolClient client, List<TaskId> ids) {
    int n = 0;
    for (TaskId id : ids) {
      if (client.status(id).state() == TaskState.COMPLETED) {
        n++;
      }
    }
    return n;
  }
}
