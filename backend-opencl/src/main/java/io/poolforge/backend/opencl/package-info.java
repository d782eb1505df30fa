/**
 * OpenCL executor for the built-in task kinds through Aparapi. The only public type is {@link
 * io.poolforge.backend.opencl.OpenClBackendProvider}; kernels, engines and the backend are
 * package-private.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.backend.opencl;

import org.jspecify.annotations.NullMarked;
