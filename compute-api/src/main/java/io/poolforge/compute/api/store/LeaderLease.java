package io.poolforge.compute.api.store;

import java.time.Duration;

/**
 * A time-limited lease on the right to schedule, shared by the coordinators of one database so that
 * one schedules at a time and a standby takes over when the holder dies. The holder must renew it
 * well within {@link #ttl()}, and must stop assigning work as soon as {@link #isHeld()} turns
 * false: the lease is judged held locally only until a deadline computed from when the renewal
 * began, which ends before any other coordinator can take the lease over.
 *
 * <p>Implementations are thread-safe; {@link #tryAcquire()} and {@link #release()} may block on
 * I/O, {@link #isHeld()} and {@link #fencingToken()} do not.
 *
 * @since 0.1.0
 */
public interface LeaderLease extends AutoCloseable {
  /**
   * Who asks for the lease: unique per coordinator process.
   *
   * @return the holder id
   */
  String holder();

  /**
   * How long one acquisition or renewal is valid.
   *
   * @return the time to live
   */
  Duration ttl();

  /**
   * Takes the lease if nobody holds it or its holder let it expire, or renews it if this holder has
   * it.
   *
   * @return true if this holder has the lease now
   * @throws io.poolforge.compute.api.PoolException UNAVAILABLE if the database cannot be reached
   */
  boolean tryAcquire();

  /**
   * Whether this holder has the lease and its local deadline has not passed. Never blocks.
   *
   * @return true while this holder may schedule
   */
  boolean isHeld();

  /**
   * A number that grows each time the lease changes hands, for fencing writes of a former holder.
   *
   * @return the token of this holder's current tenure, or 0 if it never held the lease
   */
  long fencingToken();

  /** Gives the lease up now if held, so a standby need not wait for it to expire. */
  void release();

  /** Releases the lease. Idempotent. */
  @Override
  void close();
}
