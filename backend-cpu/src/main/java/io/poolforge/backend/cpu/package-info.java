/**
 * The CPU backend: runs the built-in task kinds on every core of the host with the reference code
 * of {@code io.poolforge.compute.core.kinds}, split into parallel chunks. Found through {@link
 * java.util.ServiceLoader} as {@link io.poolforge.backend.cpu.CpuBackendProvider}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.backend.cpu;

import org.jspecify.annotations.NullMarked;
