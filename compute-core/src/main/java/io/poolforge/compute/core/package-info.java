/**
 * The coordinator (Pool), scheduler, verifier, reputation, reward ledger, worker runtime
 * (WorkerNode), built-in task kinds, in-process transport and in-memory store.
 *
 * @since 0.1.0
 */
package io.poolforge.compute.core;
