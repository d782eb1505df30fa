package io.poolforge.benchmarks.scheduler;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** "noop": an 8-byte input returned unchanged, so a benchmark measures only the pool's cost. */
final class NoopKind implements TaskKind<Long, Long> {
  static final NoopKind INSTANCE = new NoopKind();

  private static final Codec<Long> LONG =
      new Codec<>() {
        @Override
        public Bytes encode(Long value) {
          return Bytes.wrap(ByteBuffer.allocate(8).putLong(value).array());
        }

        @Override
        public Long decode(Bytes bytes) {
          if (bytes.size() != 8) {
            throw PoolException.invalidArgument("payload", "must be 8 bytes");
          }
          return bytes.asReadOnlyBuffer().getLong();
        }
      };

  @Override
  public String id() {
    return "noop";
  }

  @Override
  public Codec<Long> inputCodec() {
    return LONG;
  }

  @Override
  public Codec<Long> outputCodec() {
    return LONG;
  }

  @Override
  public void validate(Long input) {}

  @Override
  public long costUnits(Long input) {
    return 1;
  }

  /** Runs noop tasks by returning their inputs. */
  static final class Backend implements ComputeBackend {
    @Override
    public String id() {
      return "noop-cpu";
    }

    @Override
    public List<DeviceInfo> devices() {
      return List.of(new DeviceInfo("noop-cpu", "none", 0, 1, false));
    }

    @Override
    public Set<String> kinds() {
      return Set.of("noop");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> List<O> execute(TaskKind<I, O> kind, List<I> inputs, ExecutionContext context) {
      return new ArrayList<>((List<O>) inputs);
    }

    @Override
    public void close() {}
  }
}
