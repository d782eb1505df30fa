/**
 * OpenCL executor for the built-in task kinds through Aparapi. Filled by the OpenCL backend issue;
 * this module holds no code yet.
 *
 * @since 0.1.0
 */
package io.poolforge.backend.opencl;
