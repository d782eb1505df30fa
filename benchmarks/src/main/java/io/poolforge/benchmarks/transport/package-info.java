/**
 * Benchmarks of the gRPC transport: tiny tasks end to end over loopback (streaming versus one unary
 * call per task), single-task latency under load, and many connected workers.
 *
 * @since 0.1.0
 */
package io.poolforge.benchmarks.transport;
