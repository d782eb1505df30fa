/**
 * PoolForge's public types: tasks ({@link io.poolforge.compute.api.TaskSpec}, {@link
 * io.poolforge.compute.api.TaskKind}, {@link io.poolforge.compute.api.TaskResult}), workers, the
 * {@link io.poolforge.compute.api.Pool} API, {@link io.poolforge.compute.api.PoolEvent}s and {@link
 * io.poolforge.compute.api.PoolException}. The sub-packages hold the service-provider interfaces
 * that backends, allocation policies, verification, ledgers and chains, transports and stores
 * implement.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api;

import org.jspecify.annotations.NullMarked;
