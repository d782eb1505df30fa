package io.poolforge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.verify.ResultSigner;
import io.poolforge.transport.grpc.GrpcCoordinatorTransport;
import io.poolforge.transport.grpc.GrpcWorkerTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator on a SQLite store stops (a clean close) while a gRPC worker holds long-running
 * leases; a new coordinator on the same file and port starts, the worker's connection reconnects by
 * itself within the reconnect grace and presents its leases, and the new coordinator lets it keep
 * them: each task is sent to the worker once (counted at the worker), completes with its first
 * attempt and is credited once, as the SQLite file shows afterwards.
 */
@Timeout(120)
class RestartResumeLeasesTest {
  private static final String TOKEN = "restart-worker-token-0123456789";
  private static final Sha256Kind SHA = BuiltinKinds.sha256();

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (RuntimeException e) {
        // already closed
      }
    }
  }

  /** One coordinator on the SQLite file: store, ledger, gRPC transport and pool. */
  private final class Node implements AutoCloseable {
    final Stores stores;
    final DefaultRewardLedger ledger;
    final GrpcCoordinatorTransport transport;
    final Pool pool;

    Node(Path db, int port) {
      stores = CoordinatorCommand.openStore("jdbc:sqlite:" + db);
      ledger = DefaultRewardLedger.builder().store(stores.ledger()).build();
      transport =
          GrpcCoordinatorTransport.builder()
              .host("127.0.0.1")
              .port(port)
              .workerTokens(Set.of(TOKEN))
              .build();
      pool =
          Coordinator.builder()
              .kind(SHA)
              .transport(transport)
              .taskStore(stores.tasks())
              .ledger(ledger)
              .leaseDuration(Duration.ofSeconds(60))
              .reconnectGrace(Duration.ofSeconds(20))
              .build();
      open.add(this);
    }

    @Override
    public void close() {
      pool.close();
      ledger.close();
      stores.close();
    }
  }

  /** A worker that records what it is sent and answers only when told, with real signatures. */
  private static final class HoldingWorker implements WorkerListener {
    final Map<TaskId, AtomicInteger> sent = new ConcurrentHashMap<>();
    final List<Assignment> assignments = new CopyOnWriteArrayList<>();
    final List<TaskId> revoked = new CopyOnWriteArrayList<>();
    volatile @Nullable PoolException closedWith;
    volatile boolean closed;

    @Override
    public void onAssignments(List<Assignment> batch) {
      for (Assignment a : batch) {
        sent.computeIfAbsent(a.lease().task(), t -> new AtomicInteger()).incrementAndGet();
        assignments.add(a);
      }
    }

    @Override
    public void onRevoked(List<TaskId> tasks) {
      revoked.addAll(tasks);
    }

    @Override
    public void onClosed(@Nullable PoolException reason) {
      closedWith = reason;
      closed = true;
    }
  }

  private static void until(String what, java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(end);
      ChildJvm.sleep(20);
    }
  }

  @Test
  void aWorkerKeepsItsLeasesAcrossACoordinatorRestartAndEachTaskRunsOnce() throws Exception {
    Path db = dir.resolve("restart.db");
    Node first = new Node(db, 0);
    int port = first.transport.port();

    KeyPair keys = ResultSigner.generateKeyPair();
    ResultSigner signer = ResultSigner.of(new WorkerId("holder"), keys.getPrivate());
    Registration registration =
        new Registration(
            new WorkerInfo(
                new WorkerId("holder"),
                "holder",
                MultiProcessTest.payout("holder"),
                ResultSigner.encode(keys.getPublic()),
                new Capabilities(
                    Set.of(SHA.id()), Set.of("cpu"), List.of(), 0, 1, Set.of(), false)),
            null,
            List.of());
    GrpcWorkerTransport workers =
        GrpcWorkerTransport.builder("127.0.0.1:" + port)
            .token(TOKEN)
            .reconnect(Duration.ofSeconds(60), Duration.ofMillis(300))
            .build();
    open.add(workers);
    HoldingWorker worker = new HoldingWorker();
    WorkerConnection connection = workers.connect(registration, worker);

    List<TaskHandle> handles = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Sha256Input in = Sha256Input.of(Bytes.of(("held " + i).getBytes(StandardCharsets.UTF_8)));
      handles.add(first.pool.submit(SHA, in));
    }
    for (TaskHandle h : handles) {
      h.accepted().get(10, TimeUnit.SECONDS);
    }
    connection.grant(5);
    until("5 assignments", () -> worker.assignments.size() == 5);
    for (TaskHandle h : handles) {
      until(
          h.id() + " stored RUNNING on the worker",
          () -> {
            TaskRecord r = first.stores.tasks().get(h.id()).orElseThrow();
            return r.state() == TaskState.RUNNING
                && r.worker() != null
                && r.worker().value().equals("holder")
                && r.attempts() == 1;
          });
    }

    first.close(); // the coordinator stops while the worker still computes
    Node second = new Node(db, port);
    until(
        "the worker reconnected to the new coordinator",
        () -> second.pool.workers().stream().anyMatch(w -> w.id().value().equals("holder")));
    assertThat(worker.closed).as("the connection reconnected, it did not end").isFalse();
    ChildJvm.sleep(300);
    assertThat(worker.revoked).as("every lease is still valid").isEmpty();

    // the long computation ends: the worker answers on its new connection
    List<io.poolforge.compute.api.transport.WorkResult> answers = new ArrayList<>();
    for (Assignment a : worker.assignments) {
      Sha256Input in = SHA.inputCodec().decode(a.payload());
      answers.add(
          signer.sign(
              a.lease(), "cpu", SHA.outputCodec().encode(Sha256Kind.compute(in)), null, 1000));
    }
    connection.sendResults(answers);
    for (TaskHandle h : handles) {
      until(h.id() + " completed", () -> second.pool.status(h.id()).state() == TaskState.COMPLETED);
    }
    for (TaskHandle h : handles) {
      assertThat(worker.sent.get(h.id()).get()).as("%s was sent once", h.id()).isEqualTo(1);
    }
    connection.close();
    second.close(); // waits for the credits of the completed tasks, then stores the completions

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      for (TaskHandle h : handles) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT state, worker, attempts FROM tasks WHERE id = " + h.id().value())) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).as("state of %s (3 = COMPLETED)", h.id()).isEqualTo(3);
          assertThat(rs.getString(2)).isEqualTo("holder");
          assertThat(rs.getInt(3)).as("%s completed with its first attempt", h.id()).isEqualTo(1);
        }
        try (ResultSet rs =
            st.executeQuery("SELECT count(*) FROM credits WHERE task_id = " + h.id().value())) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).as("%s credited once", h.id()).isEqualTo(1);
        }
      }
    }
  }
}
