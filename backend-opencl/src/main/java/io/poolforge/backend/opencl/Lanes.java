package io.poolforge.backend.opencl;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;

/** Helpers shared by the lanes. */
final class Lanes {
  private Lanes() {}

  static PoolException cancelled(String kind) {
    return new PoolException(ErrorCode.CANCELLED, "opencl: " + kind + " batch cancelled", null);
  }

  static void expectEqual(String kind, Object got, Object want) {
    if (!got.equals(want)) {
      throw new IllegalStateException(
          "the " + kind + " kernel computed " + got + " where the reference computes " + want);
    }
  }
}
