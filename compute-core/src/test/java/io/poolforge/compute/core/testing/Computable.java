package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;

/** A test kind that knows how to compute its own output, so one backend runs every test kind. */
public interface Computable<I, O> extends TaskKind<I, O> {
  O compute(I input, ExecutionContext context);
}
