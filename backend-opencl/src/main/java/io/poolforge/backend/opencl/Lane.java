package io.poolforge.backend.opencl;

import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.List;

/**
 * Runs one built-in task kind on its engine: converts the kind's inputs to the engine's arrays and
 * the results back, and knows a small known-answer problem to check the device with.
 *
 * <p>Implementations are thread-safe (their engines serialize launches) and block while the device
 * works.
 */
interface Lane extends AutoCloseable {
  /** The kind id this lane runs. */
  String kindId();

  /** The kernel, to ask whether it fell back. */
  DeviceKernel<?> kernel();

  /** Whether {@code kind} is the built-in kind this lane converts (not just one with its id). */
  boolean accepts(TaskKind<?, ?> kind);

  /**
   * Runs a batch of valid inputs.
   *
   * @throws KernelFallbackException if the kernel ran on Java threads instead of the device
   */
  List<Object> run(List<?> inputs, ExecutionContext context);

  /**
   * Runs a small problem on the device and compares it with the JDK or compute-core reference.
   *
   * @throws IllegalStateException naming the difference if the device computed a wrong answer
   * @throws KernelFallbackException if the kernel did not run on the device
   */
  void selfTest();

  @Override
  void close();
}
