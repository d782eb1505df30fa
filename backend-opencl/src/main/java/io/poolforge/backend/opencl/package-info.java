/**
 * OpenCL executor for the built-in task kinds ({@code sha256}, {@code pow}, {@code modexp} with its
 * RSA operations, {@code render}) through Aparapi. The only public type is {@link
 * io.poolforge.backend.opencl.OpenClBackendProvider}, found by {@link java.util.ServiceLoader} as
 * backend "opencl"; kernels, engines and the backend are package-private.
 *
 * <p>Needs an OpenCL driver (an ICD): NVIDIA's on a GPU host, or PoCL ({@code pocl-opencl-icd}) to
 * run the same kernels on the CPU, as the tests do. The backend takes the best device (GPUs first),
 * compiles every kernel for it and checks each against the reference on a small problem before it
 * offers the kind. Aparapi runs a kernel it cannot translate or launch on a Java thread pool
 * without saying so; this backend detects that, withdraws the kind and fails the batch with
 * UNAVAILABLE instead of returning Java results as GPU work.
 *
 * <p>Aparapi keeps device preferences per kernel class, JVM-wide: one OpenCL backend per JVM.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.backend.opencl;

import org.jspecify.annotations.NullMarked;
