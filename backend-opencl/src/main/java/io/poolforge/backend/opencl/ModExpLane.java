package io.poolforge.backend.opencl;

import com.aparapi.device.OpenCLDevice;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The {@code modexp} kind (odd moduli, RSA operations included) on {@link ModExpEngine}. All
 * operations of a batch of inputs go to the device together, grouped by size. Thread-safe; blocks.
 */
final class ModExpLane implements Lane {
  private final ModExpEngine engine;

  ModExpLane(OpenCLDevice device) {
    this.engine = new ModExpEngine(device);
  }

  @Override
  public String kindId() {
    return ModExpKind.ID;
  }

  @Override
  public DeviceKernel<?> kernel() {
    return engine.kernel();
  }

  @Override
  public boolean accepts(TaskKind<?, ?> kind) {
    return kind instanceof ModExpKind m && m.montgomeryOnly();
  }

  @Override
  public List<Object> run(List<?> inputs, ExecutionContext context) {
    if (context.cancelled()) {
      throw Lanes.cancelled(kindId());
    }
    List<BigInteger> bases = new ArrayList<>();
    List<BigInteger> exps = new ArrayList<>();
    List<BigInteger> mods = new ArrayList<>();
    for (Object o : inputs) {
      for (ModExpOp op : ((ModExpInput) o).ops()) {
        bases.add(op.base());
        exps.add(op.exponent());
        mods.add(op.modulus());
      }
    }
    BigInteger[] all = engine.modPow(bases, exps, mods);
    List<Object> out = new ArrayList<>(inputs.size());
    int at = 0;
    for (Object o : inputs) {
      int n = ((ModExpInput) o).ops().size();
      out.add(new ModExpOutput(Arrays.asList(all).subList(at, at + n)));
      at += n;
    }
    return out;
  }

  @Override
  public void selfTest() {
    SplittableRandom random = new SplittableRandom(42);
    List<ModExpOp> ops = new ArrayList<>();
    for (int bits : new int[] {31, 64, 521, 1024}) {
      BigInteger m = randomBits(random, bits).setBit(bits - 1).setBit(0);
      ops.add(ModExpOp.of(randomBits(random, bits).mod(m), randomBits(random, bits + 7), m));
    }
    ModExpInput in = new ModExpInput(ops);
    Object got = run(List.of(in), ExecutionContext.NONE).get(0);
    Lanes.expectEqual(kindId(), got, ModExpKind.compute(in));
  }

  private static BigInteger randomBits(SplittableRandom random, int bits) {
    byte[] b = new byte[(bits + 7) / 8];
    random.nextBytes(b);
    return new BigInteger(1, b).shiftRight(b.length * 8 - bits);
  }

  @Override
  public void close() {
    engine.close();
  }
}
