package io.poolforge.backend.opencl;

/**
 * Aparapi could not run a kernel on its OpenCL device and ran it, or would have run it, on Java
 * threads instead. The backend never returns such results as OpenCL work.
 */
final class KernelFallbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KernelFallbackException(String message, Throwable cause) {
    super(message, cause);
  }
}
