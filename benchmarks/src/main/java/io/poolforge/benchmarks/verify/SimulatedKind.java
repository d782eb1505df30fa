package io.poolforge.benchmarks.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.nio.ByteBuffer;

/**
 * The task kind of the simulation: a 64-bit input mapped to a 64-bit output by a mixing function,
 * with no cheap check, so only replication can catch a wrong answer (the hard case; kinds with a
 * cheap check catch every wrong answer at once). Immutable and thread-safe.
 */
final class SimulatedKind implements TaskKind<Long, Long> {
  static final SimulatedKind INSTANCE = new SimulatedKind("sim.mix");

  /** The same function under another id, which no worker serves: the lockstep's probe tasks. */
  static final SimulatedKind PROBE = new SimulatedKind("sim.probe");

  private final String id;

  private static final Codec<Long> LONG =
      new Codec<>() {
        @Override
        public Bytes encode(Long value) {
          return Bytes.wrap(ByteBuffer.allocate(8).putLong(value).array());
        }

        @Override
        public Long decode(Bytes bytes) {
          if (bytes.size() != 8) {
            throw PoolException.invalidArgument("output", "is " + bytes.size() + " bytes, not 8");
          }
          return bytes.asReadOnlyBuffer().getLong();
        }
      };

  private SimulatedKind(String id) {
    this.id = id;
  }

  /** The correct output for an input (SplitMix64's finaliser). */
  static long compute(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String id() {
    return id;
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
}
