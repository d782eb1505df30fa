package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only backend for {@link TestKinds#SQUARE}: squares its inputs, or, when built as a
 * cheater, returns the square plus one (a saboteur that is always wrong).
 */
final class SquareBackend implements ComputeBackend {
  private final long honestFirst;
  final AtomicLong executed = new AtomicLong();

  SquareBackend(boolean cheat) {
    this(cheat ? 0 : Long.MAX_VALUE);
  }

  SquareBackend(long honestFirst) {
    this.honestFirst = honestFirst;
  }

  @Override
  public String id() {
    return "cpu";
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(new DeviceInfo("cpu", "test cpu", 1L << 30, 1, false));
  }

  @Override
  public Set<String> kinds() {
    return Set.of(TestKinds.SQUARE.id());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (!kind.id().equals(TestKinds.SQUARE.id())) {
      throw PoolException.invalidArgument("kind", "'" + kind.id() + "' is not run by this backend");
    }
    List<O> out = new ArrayList<>(inputs.size());
    for (I in : inputs) {
      long x = (Long) in;
      boolean cheat = executed.incrementAndGet() > honestFirst;
      out.add((O) Long.valueOf(x * x + (cheat ? 1 : 0)));
    }
    return out;
  }

  @Override
  public void close() {}
}
