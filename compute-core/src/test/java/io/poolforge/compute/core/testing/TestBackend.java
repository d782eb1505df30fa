package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** A CPU backend for the test kinds: runs each {@link Computable} in the calling thread. */
public final class TestBackend implements ComputeBackend {
  private final Set<String> kinds;
  private final UnaryOperator<Object> tamper;
  public final AtomicLong executed = new AtomicLong();

  public TestBackend(Set<String> kinds) {
    this(kinds, o -> o);
  }

  /** A backend whose outputs pass through {@code tamper}: a dishonest worker. */
  public TestBackend(Set<String> kinds, UnaryOperator<Object> tamper) {
    this.kinds = Set.copyOf(kinds);
    this.tamper = tamper;
  }

  @Override
  public String id() {
    return "test-cpu";
  }

  @Override
  public List<DeviceInfo> devices() {
    return List.of(new DeviceInfo("test-cpu", "test cpu", 1L << 30, 1, false));
  }

  @Override
  public Set<String> kinds() {
    return kinds;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (!(kind instanceof Computable<I, O> c) || !kinds.contains(kind.id())) {
      throw PoolException.invalidArgument("kind", "'" + kind.id() + "' is not run by test-cpu");
    }
    List<O> out = new ArrayList<>(inputs.size());
    for (I in : inputs) {
      out.add((O) tamper.apply(c.compute(in, context)));
      executed.incrementAndGet();
    }
    return out;
  }

  @Override
  public void close() {}
}
