package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The {@code sha256} kind on {@link Sha256Engine}. Thread-safe; blocks. */
final class Sha256Lane implements Lane {
  private final Sha256Engine engine;

  Sha256Lane(OpenCLDevice device) {
    this.engine = new Sha256Engine(device);
  }

  @Override
  public String kindId() {
    return Sha256Kind.ID;
  }

  @Override
  public DeviceKernel<?> kernel() {
    return engine.kernel();
  }

  @Override
  public boolean accepts(TaskKind<?, ?> kind) {
    return kind instanceof Sha256Kind;
  }

  @Override
  public List<Object> run(List<?> inputs, ExecutionContext context) {
    List<Object> out = new ArrayList<>(inputs.size());
    for (Object o : inputs) {
      if (context.cancelled()) {
        throw Lanes.cancelled(kindId());
      }
      Sha256Input in = (Sha256Input) o;
      List<byte[]> messages = new ArrayList<>(in.messages().size());
      for (Bytes m : in.messages()) {
        messages.add(m.toByteArray());
      }
      byte[][] digests = engine.digest(messages);
      List<Bytes> wrapped = new ArrayList<>(digests.length);
      for (byte[] d : digests) {
        wrapped.add(Bytes.wrap(d));
      }
      out.add(new Sha256Output(wrapped));
    }
    return out;
  }

  @Override
  public void selfTest() {
    byte[] long1 = new byte[200];
    Arrays.fill(long1, (byte) 0x5a);
    Sha256Input in =
        new Sha256Input(
            List.of(Bytes.EMPTY, Bytes.of(new byte[] {'a', 'b', 'c'}), Bytes.of(long1)));
    Object got = run(List.of(in), ExecutionContext.NONE).get(0);
    Lanes.expectEqual(kindId(), got, Sha256Kind.compute(in));
  }

  @Override
  public void close() {
    engine.close();
  }
}
