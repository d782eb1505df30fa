package io.poolforge.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.StoreProvider;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, discovery, migrations, retention and the leader lease (on SQLite, no server needed). */
class JdbcStoresTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private String url(String name) {
    return "jdbc:sqlite:" + dir.resolve(name);
  }

  @Test
  void providersAreDiscoveredAndAvailable() {
    Map<String, StoreProvider> byId =
        ServiceLoader.load(StoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(Collectors.toMap(StoreProvider::id, p -> p));
    assertThat(byId).containsKeys("sqlite", "postgresql");
    StoreProvider sqlite = byId.get("sqlite");
    assertThat(sqlite.isAvailable()).isTrue();
    assertThat(byId.get("postgresql").isAvailable()).isTrue();
    assertThat(sqlite.accepts("jdbc:sqlite:x.db")).isTrue();
    assertThat(sqlite.accepts("jdbc:postgresql://h/db")).isFalse();
    assertThat(byId.get("postgresql").accepts("jdbc:postgresql://h/db")).isTrue();
    try (Stores s = sqlite.open(url("discovered.db"))) {
      assertThat(s.durable()).isTrue();
      assertThat(s.leaderLease()).isPresent();
    }
    assertThat(
            catchThrowableOfType(PoolException.class, () -> sqlite.open("jdbc:mysql://h/db"))
                .field())
        .isEqualTo("url");
  }

  @Test
  void badBuilderInputIsRefusedNamingTheField() {
    assertThat(
            catchThrowableOfType(
                    PoolException.class, () -> JdbcStores.builder().url("jdbc:mysql://h/db"))
                .field())
        .isEqualTo("url");
    assertThat(
            catchThrowableOfType(
                    PoolException.class, () -> JdbcStores.builder().url("jdbc:sqlite:"))
                .field())
        .isEqualTo("url");
    assertThat(
            catchThrowableOfType(PoolException.class, () -> JdbcStores.builder().maxBlobBytes(0))
                .getMessage())
        .contains("maxBlobBytes");
    assertThat(
            catchThrowableOfType(
                    PoolException.class, () -> JdbcStores.builder().leaseTtl(Duration.ofMillis(1)))
                .getMessage())
        .contains("leaseTtl");
    assertThatThrownBy(() -> JdbcStores.builder().url(url("a.db")).url(url("b.db")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("url");
    assertThat(
            catchThrowableOfType(PoolException.class, () -> JdbcStores.builder().build()).field())
        .isEqualTo("url");
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    PoolException e =
        catchThrowableOfType(
            PoolException.class,
            () ->
                JdbcStores.builder()
                    .url(
                        "jdbc:postgresql://127.0.0.1:1/nodb?user=x&password=secret&connectTimeout=2")
                    .build());
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("secret");
  }

  @Test
  void migrationsRunOnceAndAreRecorded() throws Exception {
    String url = url("migrate.db");
    try (JdbcStores s = JdbcStores.builder().url(url).build()) {
      assertThat(s.schemaVersion()).isEqualTo(Migrator.migrations(Dialect.SQLITE).size());
    }
    try (JdbcStores s = JdbcStores.builder().url(url).build()) {
      assertThat(s.schemaVersion()).isEqualTo(4);
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT version, description FROM schema_version ORDER BY version")) {
      StringBuilder sb = new StringBuilder();
      while (rs.next()) {
        sb.append(rs.getInt(1)).append(':').append(rs.getString(2)).append(' ');
      }
      assertThat(sb.toString().strip())
          .isEqualTo("1:tasks 2:ledger_and_blobs 3:leader_lease 4:drop_unread_queue_index");
      st.execute("INSERT INTO schema_version VALUES (99, 'from_the_future', 0)");
    }
    PoolException e =
        catchThrowableOfType(PoolException.class, () -> JdbcStores.builder().url(url).build());
    assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(e.getMessage()).contains("99");
    assertThat(Migrator.migrations(Dialect.POSTGRESQL)).hasSize(3);
  }

  @Test
  void retentionDeletesFinishedTasksOlderThanTheTtl() throws Exception {
    try (JdbcStores s = JdbcStores.builder().url(url("retention.db")).build()) {
      long first = s.tasks().reserveIds(3);
      TaskSpec spec = TaskSpec.builder("noop", Bytes.EMPTY).build();
      TaskRecord old = TaskRecord.queued(new TaskId(first), spec, T0);
      TaskRecord recent = TaskRecord.queued(new TaskId(first + 1), spec, T0);
      TaskRecord unfinished = TaskRecord.queued(new TaskId(first + 2), spec, T0);
      s.tasks().insert(List.of(old, recent, unfinished));
      s.tasks()
          .update(
              List.of(
                  done(old, T0.plusSeconds(10)), done(recent, T0.plusSeconds(3_600 * 24 + 100))));
      Clock clock = Clock.fixed(T0.plusSeconds(3_600 * 24 + 60), ZoneOffset.UTC);
      try (RetentionJob job =
          RetentionJob.builder().store(s.tasks()).ttl(Duration.ofDays(1)).clock(clock).build()) {
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(job.runOnce()).isZero();
      }
      assertThat(s.tasks().get(old.id())).isEmpty();
      assertThat(s.tasks().get(recent.id())).isPresent();
      assertThat(s.tasks().get(unfinished.id())).isPresent();

      // scheduled: with the real clock everything finished is older than 1 ms
      try (RetentionJob job =
          RetentionJob.builder()
              .store(s.tasks())
              .ttl(Duration.ofMillis(1))
              .period(Duration.ofMillis(50))
              .build()
              .start()) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.tasks().get(recent.id()).isPresent() && System.nanoTime() < end) {
          Thread.sleep(50);
        }
      }
      assertThat(s.tasks().get(recent.id())).isEmpty();
      assertThat(s.tasks().get(unfinished.id())).isPresent();
    }
    assertThatThrownBy(() -> RetentionJob.builder().ttl(Duration.ZERO))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("ttl");
  }

  private static TaskRecord done(TaskRecord r, Instant at) {
    return new TaskRecord(
        r.id(),
        r.spec(),
        TaskState.COMPLETED,
        1,
        r.submittedAt(),
        at,
        null,
        Bytes.EMPTY,
        null,
        null);
  }

  @Test
  void oneLeaderAtATimeAndAStandbyTakesOverAnExpiredLease() throws Exception {
    String url = url("lease.db");
    try (JdbcStores a =
            JdbcStores.builder().url(url).holder("a").leaseTtl(Duration.ofMillis(600)).build();
        JdbcStores b =
            JdbcStores.builder().url(url).holder("b").leaseTtl(Duration.ofMillis(600)).build()) {
      LeaderLease la = a.leaderLease().orElseThrow();
      LeaderLease lb = b.leaderLease().orElseThrow();
      assertThat(la.tryAcquire()).isTrue();
      assertThat(la.isHeld()).isTrue();
      assertThat(lb.tryAcquire()).isFalse();
      assertThat(lb.isHeld()).isFalse();
      long tokenA = la.fencingToken();

      // a stops renewing (as if it hung or died): b's campaign takes over after the ttl
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (CoordinatorLease campaign =
          CoordinatorLease.builder()
              .lease(lb)
              .renewEvery(Duration.ofMillis(100))
              .listener(
                  new CoordinatorLease.Listener() {
                    @Override
                    public void elected(long token) {
                      events.add("elected " + token);
                    }

                    @Override
                    public void revoked() {
                      events.add("revoked");
                    }
                  })
              .build()
              .start()) {
        String first = events.poll(10, TimeUnit.SECONDS);
        assertThat(first).isEqualTo("elected " + (tokenA + 1));
        assertThat(la.isHeld()).as("a's local deadline passed before b took over").isFalse();
        assertThat(la.tryAcquire()).isFalse();
        assertThat(campaign.isLeader()).isTrue();
      }
      // closing the campaign released the lease: a gets it back at once, with a new token
      assertThat(la.tryAcquire()).isTrue();
      assertThat(la.fencingToken()).isEqualTo(tokenA + 2);
    }
  }
}
