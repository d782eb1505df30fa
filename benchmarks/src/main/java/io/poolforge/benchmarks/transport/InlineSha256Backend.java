package io.poolforge.benchmarks.transport;

import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code sha256} kind's own CPU code ({@link Sha256Kind#compute}) run on the calling thread:
 * the worker's runner thread hashes its batch itself. The CPU backend instead hands each batch to
 * its thread pool and waits; for tiny tasks on a machine with more runnable threads than cores that
 * hand-off (two thread wake-ups per batch) costs more than the hashing, and inflates the time per
 * task the coordinator sizes batches by. {@code -p backend=cpu} measures that backend instead.
 *
 * <p>Thread-safe; {@link #execute} runs on the caller's thread and returns when done.
 */
final class InlineSha256Backend implements ComputeBackend {
  private static final List<DeviceInfo> DEVICES =
      List.of(
          new DeviceInfo("inline", "calling thread", Runtime.getRuntime().maxMemory(), 1, false));

  @Override
  public String id() {
    return "inline";
  }

  @Override
  public List<DeviceInfo> devices() {
    return DEVICES;
  }

  @Override
  public Set<String> kinds() {
    return Set.of(Sha256Kind.ID);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    if (kind != BuiltinKinds.sha256()) {
      throw PoolException.invalidArgument("kind", "'" + kind.id() + "' is not sha256");
    }
    List<O> out = new ArrayList<>(inputs.size());
    for (I input : inputs) {
      out.add((O) Sha256Kind.compute((Sha256Input) input));
    }
    return out;
  }

  @Override
  public void close() {}
}
