/**
 * CUDA executor for the built-in task kinds through the JCuda driver API and PTX kernels compiled
 * ahead of time. Filled by the CUDA backend issue; this module holds no code yet.
 *
 * @since 0.1.0
 */
package io.poolforge.backend.cuda;
