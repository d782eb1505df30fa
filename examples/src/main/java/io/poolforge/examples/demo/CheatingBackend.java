package io.poolforge.examples.demo;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's saboteur: a real CPU backend whose SHA-256 answers are forged (each digest's first
 * byte flipped, as a worker would do that skips the work and returns plausible bytes). Every other
 * kind is computed honestly, so the cheat only shows where verification looks. It claims to be a
 * plain "cpu" backend.
 *
 * <p>Thread-safe, as the backend it wraps.
 */
final class CheatingBackend implements ComputeBackend {
  private final ComputeBackend honest;

  CheatingBackend(ComputeBackend honest) {
    this.honest = honest;
  }

  @Override
  public String id() {
    return honest.id();
  }

  @Override
  public List<DeviceInfo> devices() {
    return honest.devices();
  }

  @Override
  public Set<String> kinds() {
    return honest.kinds();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
    List<O> outputs = honest.execute(kind, inputs, context);
    if (!kind.id().equals(Sha256Kind.ID)) {
      return outputs;
    }
    List<O> forged = new ArrayList<>(outputs.size());
    for (O o : outputs) {
      List<Bytes> digests = new ArrayList<>();
      for (Bytes d : ((Sha256Output) o).digests()) {
        byte[] b = d.toByteArray();
        b[0] ^= (byte) 0xff;
        digests.add(Bytes.wrap(b));
      }
      forged.add((O) new Sha256Output(digests));
    }
    return forged;
  }

  @Override
  public void close() {
    honest.close();
  }
}
