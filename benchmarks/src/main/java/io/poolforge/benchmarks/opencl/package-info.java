/**
 * Benchmarks of the OpenCL backend against the CPU backend on the built-in task kinds.
 *
 * @since 0.1.0
 */
package io.poolforge.benchmarks.opencl;
