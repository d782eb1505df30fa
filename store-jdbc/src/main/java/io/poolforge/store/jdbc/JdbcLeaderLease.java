package io.poolforge.store.jdbc;

import io.poolforge.compute.api.store.LeaderLease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@link LeaderLease} as one row of {@code leader_lease}, taken with an atomic upsert that succeeds
 * only when the row is free, expired or already ours. Expiry is judged by the database's clock, so
 * coordinators on hosts with skewed clocks agree; locally the lease counts as held until {@code
 * ttl} minus a tenth after the renewal <em>began</em>, which is before the database can let anyone
 * else take it.
 *
 * <p>Thread-safe; {@link #tryAcquire()} and {@link #release()} block on the database.
 */
final class JdbcLeaderLease implements LeaderLease {
  static final String NAME = "scheduler";

  private final Database db;
  private final String holder;
  private final Duration ttl;
  private final LongSupplier nanoTime;
  private volatile long heldUntilNanos;
  private volatile long token;
  private volatile boolean held;

  JdbcLeaderLease(Database db, String holder, Duration ttl, LongSupplier nanoTime) {
    this.db = db;
    this.holder = holder;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
  }

  @Override
  public String holder() {
    return holder;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }

  @Override
  public synchronized boolean tryAcquire() {
    long start = nanoTime.getAsLong();
    String now = db.dialect.nowMillis;
    long ttlMillis = ttl.toMillis();
    long[] fencing = {0};
    boolean ours =
        db.transaction(
            "acquire leader lease",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO leader_lease (name, holder, expires_at, fencing) VALUES (?, ?, "
                          + now
                          + " + ?, 1) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                          + " expires_at = excluded.expires_at, fencing = CASE WHEN"
                          + " leader_lease.holder = excluded.holder THEN leader_lease.fencing"
                          + " ELSE leader_lease.fencing + 1 END WHERE leader_lease.holder ="
                          + " excluded.holder OR leader_lease.expires_at < "
                          + now)) {
                ps.setString(1, NAME);
                ps.setString(2, holder);
                ps.setLong(3, ttlMillis);
                ps.executeUpdate();
              }
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT holder, fencing FROM leader_lease WHERE name = ?")) {
                ps.setString(1, NAME);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  fencing[0] = rs.getLong(2);
                  return holder.equals(rs.getString(1));
                }
              }
            });
    if (ours) {
      token = fencing[0];
      heldUntilNanos = start + ttl.toNanos() - ttl.toNanos() / 10;
      held = true;
    } else {
      held = false;
    }
    return ours;
  }

  @Override
  public boolean isHeld() {
    return held && nanoTime.getAsLong() - heldUntilNanos < 0;
  }

  @Override
  public long fencingToken() {
    return token;
  }

  @Override
  public synchronized void release() {
    if (!held) {
      return;
    }
    held = false;
    db.transaction(
        "release leader lease",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE leader_lease SET expires_at = 0 WHERE name = ? AND holder = ?")) {
            ps.setString(1, NAME);
            ps.setString(2, holder);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void close() {
    try {
      release();
    } catch (RuntimeException e) {
      // the database is gone; the lease expires by itself
    }
  }
}
