package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.util.HashSet;
import java.util.Set;

/** Remembers which builder settings were set, so each can be set only once. Not thread-safe. */
final class SetOnce {
  private final Set<String> set = new HashSet<>();

  void mark(String field) {
    if (!set.add(field)) {
      throw new PoolException(
          ErrorCode.FAILED_PRECONDITION, field, field + ": is already set", null);
    }
  }
}
