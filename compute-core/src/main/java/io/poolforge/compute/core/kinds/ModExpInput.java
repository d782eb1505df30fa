package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.PoolException;
import java.util.List;

/**
 * The input of the {@code modexp} kinds: a batch of modular exponentiations.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ops 1 to {@value #MAX_OPS} operations
 * @since 0.1.0
 */
public record ModExpInput(List<ModExpOp> ops) {
  /** The most operations in one batch. */
  public static final int MAX_OPS = 4096;

  /** Validates the count and copies the list. */
  public ModExpInput {
    if (ops == null) {
      throw PoolException.invalidArgument("modexp.ops", "must not be null");
    }
    if (ops.isEmpty() || ops.size() > MAX_OPS) {
      throw PoolException.invalidArgument(
          "modexp.ops", "has " + ops.size() + " operations, must have 1 to " + MAX_OPS);
    }
    ops = List.copyOf(ops);
  }

  /**
   * A batch of the given operations.
   *
   * @param ops the operations
   * @return the input
   */
  public static ModExpInput of(ModExpOp... ops) {
    return new ModExpInput(List.of(ops));
  }
}
