package io.poolforge.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomized cross-checks of the CUDA backend against compute-core's reference implementations of
 * the kinds: bit-identical for sha256, pow and modexp, within the kind's tolerance for render. Runs
 * on a GPU host; skips elsewhere.
 */
class CudaBackendTest {
  private static ComputeBackend cuda;

  @BeforeAll
  static void open() {
    CudaBackendProvider provider = new CudaBackendProvider();
    assumeTrue(provider.isAvailable(), CudaProbe.probe().reason());
    cuda = provider.create();
  }

  @AfterAll
  static void close() {
    if (cuda != null) {
      cuda.close();
    }
  }

  @Test
  void sha256() {
    Random rnd = new Random(11);
    List<Sha256Input> inputs = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      List<Bytes> msgs = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        byte[] m = new byte[rnd.nextInt(200)];
        rnd.nextBytes(m);
        msgs.add(Bytes.wrap(m));
      }
      inputs.add(new Sha256Input(msgs));
    }
    var out = cuda.execute(BuiltinKinds.sha256(), inputs, ExecutionContext.NONE);
    for (int t = 0; t < inputs.size(); t++) {
      for (int i = 0; i < 1000; i++) {
        assertThat(out.get(t).digests().get(i))
            .isEqualTo(Sha256Kind.digest(inputs.get(t).messages().get(i)));
      }
    }
  }

  @Test
  void powMatchesTheReferenceSearch() {
    Random rnd = new Random(12);
    for (int zeroBits : new int[] {8, 12, 40}) {
      byte[] header = new byte[80];
      rnd.nextBytes(header);
      PowInput in =
          new PowInput(
              Bytes.wrap(header),
              5_000,
              400_000,
              PowInput.targetOf(BigInteger.ONE.shiftLeft(256 - zeroBits).subtract(BigInteger.ONE)),
              true,
              null);
      PowOutput expected = PowKind.search(in, () -> false);
      PowOutput got = cuda.execute(BuiltinKinds.pow(), List.of(in), ExecutionContext.NONE).get(0);
      assertThat(got).as("%d leading zero bits", zeroBits).isEqualTo(expected);
    }
  }

  @Test
  void modexpMatchesBigInteger() {
    Random rnd = new Random(13);
    List<ModExpOp> ops = new ArrayList<>();
    for (int bits : new int[] {256, 1024, 2048, 4096}) {
      for (int i = 0; i < 16; i++) {
        BigInteger n = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
        ops.add(ModExpOp.of(new BigInteger(bits, rnd).mod(n), new BigInteger(bits, rnd), n));
      }
    }
    ModExpInput in = new ModExpInput(ops);
    var got = cuda.execute(BuiltinKinds.modexp(), List.of(in), ExecutionContext.NONE).get(0);
    assertThat(got).isEqualTo(ModExpKind.compute(in));
  }

  @Test
  void renderIsWithinTheKindsTolerance() {
    RenderInput tile = new RenderInput(160, 120, 16, 24, 96, 64, 16, 77, PixelFormat.FLOAT32);
    RenderKind kind = BuiltinKinds.render();
    var got = cuda.execute(kind, List.of(tile), ExecutionContext.NONE).get(0);
    assertThat(kind.equivalent(got, RenderKind.render(tile))).isTrue();
  }
}
