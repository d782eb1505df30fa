package io.poolforge.store.jdbc;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.ledger.DefaultRewardLedger;
import io.poolforge.compute.core.transport.InProcessTransport;
import io.poolforge.compute.core.worker.WorkerNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The real coordinator ({@link Coordinator}) with one in-process worker, on a durable store, in a
 * child JVM for the crash test:
 *
 * <ul>
 *   <li>{@code submit <url>}: submits sha256 tasks forever; prints {@code ACK id} once a
 *       submission's {@code accepted()} future completed (the group-committed insert returned);
 *   <li>{@code drain <url>}: restarts on the same store (the pool reloads unfinished tasks), waits
 *       until none is left unfinished, prints {@code DRAINED}, exits.
 * </ul>
 */
public final class PoolChild {
  /** Where the worker is paid. */
  static final String PAYOUT = "0x" + "ab".repeat(20);

  private PoolChild() {}

  /** Runs sha256 on the calling thread with the kind's reference code. */
  static class ReferenceSha256Backend implements ComputeBackend {
    @Override
    public String id() {
      return "reference-sha256";
    }

    @Override
    public List<DeviceInfo> devices() {
      return List.of(new DeviceInfo("cpu0", "reference cpu", 1L << 30, 1, false));
    }

    @Override
    public Set<String> kinds() {
      return Set.of(Sha256Kind.ID);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
      if (!kind.id().equals(Sha256Kind.ID)) {
        throw PoolException.invalidArgument("kind", "'" + kind.id() + "' is not run here");
      }
      List<O> out = new ArrayList<>(inputs.size());
      for (I in : inputs) {
        out.add((O) Sha256Kind.compute((Sha256Input) in));
      }
      return out;
    }

    @Override
    public void close() {}
  }

  static Sha256Input input(long n) {
    return Sha256Input.of(Bytes.wrap(("message-" + n).getBytes(StandardCharsets.UTF_8)));
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    String mode = args[0];
    Sha256Kind kind = BuiltinKinds.sha256();
    try (JdbcStores stores = JdbcStores.builder().url(args[1]).maxConnections(4).build();
        DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(stores.ledger()).build();
        InProcessTransport transport = InProcessTransport.create();
        Pool pool =
            Coordinator.builder()
                .kind(kind)
                .transport(transport.coordinator())
                .taskStore(stores.tasks())
                .ledger(ledger)
                .build()) {
      WorkerNode worker =
          WorkerNode.builder()
              .id("crash-worker")
              .payoutAddress(PAYOUT)
              .transport(transport.worker())
              .kind(kind)
              .backend(new ReferenceSha256Backend())
              .slots(2)
              .build()
              .start();
      if (mode.equals("submit")) {
        for (long n = 0; ; n++) {
          TaskHandle h = pool.submit(kind, input(n));
          h.accepted()
              .thenAccept(
                  id -> {
                    synchronized (out) {
                      out.println("ACK " + id.value());
                      out.flush();
                    }
                  });
          if (n % 200 == 199) {
            h.accepted().join(); // keep the submitter a little ahead of the disk, not unbounded
          }
        }
      }
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (System.nanoTime() < deadline) {
        int[] left = {0};
        stores.tasks().forEachUnfinished(r -> left[0]++);
        if (left[0] == 0) {
          Thread.sleep(1_000); // credits are committed asynchronously after completion
          out.println("DRAINED");
          out.flush();
          break;
        }
        Thread.sleep(200);
      }
      worker.close();
    }
  }
}
