package io.poolforge.store.jdbc;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.store.LeaderLease;
import io.poolforge.compute.api.store.LedgerStore;
import io.poolforge.compute.api.store.Stores;
import io.poolforge.compute.api.store.TaskStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The durable task, ledger and blob stores of one SQLite file or PostgreSQL database, plus its
 * scheduling {@link LeaderLease}. Opening creates or migrates the schema.
 *
 * <p>SQLite ({@code jdbc:sqlite:<file>}) runs in WAL mode with {@code synchronous=FULL}: every
 * commit is fsynced before it returns. PostgreSQL ({@code jdbc:postgresql://host/db?user=..}) goes
 * through a HikariCP pool; several coordinators may share it and elect one scheduler through {@link
 * #leaderLease()}.
 *
 * <p>Thread-safe. Every store method blocks on the database; call them off latency-sensitive
 * threads (virtual threads are fine).
 *
 * @since 0.1.0
 */
public final class JdbcStores implements Stores {
  /** The default blob limit: the largest task payload. */
  public static final long DEFAULT_MAX_BLOB_BYTES = TaskSpec.MAX_PAYLOAD_BYTES;

  /** The default time to live of the leader lease. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);

  private final Database db;
  private final boolean durable;
  private final JdbcTaskStore tasks;
  private final JdbcLedgerStore ledger;
  private final JdbcBlobStore blobs;
  private final JdbcLeaderLease lease;
  private final int schemaVersion;
  private volatile boolean closed;

  private JdbcStores(Builder b, String url) {
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    this.db = sqlite ? new SqliteDatabase(url) : new PostgresDatabase(url, b.maxConnections);
    this.durable = !(sqlite && url.contains(":memory:"));
    try {
      this.schemaVersion = Migrator.migrate(db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    this.tasks = new JdbcTaskStore(db);
    this.ledger = new JdbcLedgerStore(db);
    this.blobs = new JdbcBlobStore(db, b.maxBlobBytes);
    this.lease =
        new JdbcLeaderLease(
            db, b.holder == null ? defaultHolder() : b.holder, b.leaseTtl, b.nanoTime);
  }

  private static String defaultHolder() {
    return ManagementFactory.getRuntimeMXBean().getName()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public TaskStore tasks() {
    return tasks;
  }

  @Override
  public LedgerStore ledger() {
    return ledger;
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public boolean durable() {
    return durable;
  }

  @Override
  public Optional<LeaderLease> leaderLease() {
    return Optional.of(lease);
  }

  /**
   * The schema version after migration.
   *
   * @return the number of the last migration applied
   */
  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lease.close();
    db.close();
  }

  /**
   * Configures and opens {@link JdbcStores}. Each setter may be called once. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable String url;
    private long maxBlobBytes = DEFAULT_MAX_BLOB_BYTES;
    private boolean maxBlobBytesSet;
    private Duration leaseTtl = DEFAULT_LEASE_TTL;
    private boolean leaseTtlSet;
    private @Nullable String holder;
    private int maxConnections = 10;
    private boolean maxConnectionsSet;
    private LongSupplier nanoTime = System::nanoTime;
    private boolean nanoTimeSet;

    private Builder() {}

    private static void once(boolean set, String field) {
      if (set) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * The database: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host[:port]/db[?...]}.
     *
     * @param value the JDBC URL
     * @return this
     */
    public Builder url(String value) {
      once(url != null, "url");
      Checks.notNull("url", value);
      if (!value.startsWith("jdbc:sqlite:") && !value.startsWith("jdbc:postgresql:")) {
        throw PoolException.invalidArgument(
            "url", "'" + value + "' is neither jdbc:sqlite:<file> nor jdbc:postgresql://...");
      }
      if (value.equals("jdbc:sqlite:") || value.equals("jdbc:postgresql:")) {
        throw PoolException.invalidArgument("url", "'" + value + "' names no database");
      }
      url = value;
      return this;
    }

    /**
     * The largest blob accepted.
     *
     * @param value 1 to {@link Integer#MAX_VALUE} bytes; default {@value #DEFAULT_MAX_BLOB_BYTES}
     *     (64 MiB)
     * @return this
     */
    public Builder maxBlobBytes(long value) {
      once(maxBlobBytesSet, "maxBlobBytes");
      if (value < 1 || value > Integer.MAX_VALUE) {
        throw PoolException.invalidArgument(
            "maxBlobBytes", "is " + value + ", must be in [1, " + Integer.MAX_VALUE + "]");
      }
      maxBlobBytes = value;
      maxBlobBytesSet = true;
      return this;
    }

    /**
     * How long one acquisition of the leader lease lasts; a standby takes over at most this long
     * (plus its polling period) after the holder dies.
     *
     * @param value 100 ms to 10 minutes; default 5 s
     * @return this
     */
    public Builder leaseTtl(Duration value) {
      once(leaseTtlSet, "leaseTtl");
      Checks.notNull("leaseTtl", value);
      if (value.compareTo(Duration.ofMillis(100)) < 0
          || value.compareTo(Duration.ofMinutes(10)) > 0) {
        throw PoolException.invalidArgument(
            "leaseTtl", "is " + value + ", must be in [0.1 s, 10 min]");
      }
      leaseTtl = value;
      leaseTtlSet = true;
      return this;
    }

    /**
     * The holder id used for the leader lease.
     *
     * @param value 1-128 characters, unique per coordinator; default the process name and a random
     *     suffix
     * @return this
     */
    public Builder holder(String value) {
      once(holder != null, "holder");
      Checks.notNull("holder", value);
      if (value.isBlank() || value.length() > 128) {
        throw PoolException.invalidArgument("holder", "must be 1-128 characters, not blank");
      }
      holder = value;
      return this;
    }

    /**
     * The most pooled connections (PostgreSQL only; SQLite uses one).
     *
     * @param value 1-100; default 10
     * @return this
     */
    public Builder maxConnections(int value) {
      once(maxConnectionsSet, "maxConnections");
      if (value < 1 || value > 100) {
        throw PoolException.invalidArgument(
            "maxConnections", "is " + value + ", must be in [1, 100]");
      }
      maxConnections = value;
      maxConnectionsSet = true;
      return this;
    }

    /**
     * The monotonic clock that times the leader lease locally, for tests.
     *
     * @param value nanoseconds like {@link System#nanoTime()}
     * @return this
     */
    public Builder nanoTime(LongSupplier value) {
      once(nanoTimeSet, "nanoTime");
      nanoTime = Checks.notNull("nanoTime", value);
      nanoTimeSet = true;
      return this;
    }

    /**
     * Opens the stores, creating or migrating the schema.
     *
     * @return the stores, which the caller closes
     * @throws PoolException UNAVAILABLE if the database cannot be reached
     */
    public JdbcStores build() {
      if (url == null) {
        throw PoolException.invalidArgument("url", "must be set");
      }
      return new JdbcStores(this, url);
    }
  }
}
