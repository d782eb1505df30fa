/**
 * JMH benchmarks of the built-in task kinds on the CPU backend, each next to the bare JDK loop that
 * does the same work (MessageDigest, BigInteger.modPow, the sequential reference), selected by an
 * {@code impl} parameter: {@code jdk} (the bare loop on one thread), {@code cpu1} (the backend with
 * one thread: its overhead over the bare loop) and {@code cpu} (the backend on every core).
 *
 * @since 0.1.0
 */
package io.poolforge.benchmarks.kinds;
