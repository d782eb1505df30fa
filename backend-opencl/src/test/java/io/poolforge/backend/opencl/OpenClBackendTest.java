package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.backend.ExecutionContext;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.RenderOutput;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backend through its public entry point (ServiceLoader), with randomized cross-checks against
 * compute-core's reference implementations of the built-in kinds: bit-identical outputs for the
 * exact kinds, the kind's own equivalence for render.
 */
class OpenClBackendTest {
  private static ComputeBackend backend;

  @BeforeAll
  static void start() {
    ComputeBackendProvider provider = provider();
    assumeTrue(provider.isAvailable(), "no OpenCL platform (install pocl-opencl-icd)");
    backend = provider.create();
  }

  @AfterAll
  static void stop() {
    if (backend != null) {
      backend.close();
    }
  }

  static ComputeBackendProvider provider() {
    return ServiceLoader.load(ComputeBackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("opencl"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void offersEveryBuiltInKindOnARealDevice() {
    assertThat(backend.id()).isEqualTo("opencl");
    assertThat(backend.kinds()).containsExactlyInAnyOrder("sha256", "pow", "modexp", "render");
    DeviceInfo device = backend.devices().get(0);
    assertThat(device.backend()).isEqualTo("opencl");
    assertThat(device.memoryBytes()).isPositive();
    assertThat(device.computeUnits()).isPositive();
    assertThat(((OpenClBackend) backend).refusals()).isEmpty();
  }

  @Test
  void sha256MatchesTheReferenceBitForBit() {
    SplittableRandom random = new SplittableRandom(1);
    List<Sha256Input> inputs = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      List<Bytes> messages = new ArrayList<>();
      int n = random.nextInt(1, 200);
      for (int i = 0; i < n; i++) {
        byte[] m = new byte[random.nextInt(0, 700)];
        random.nextBytes(m);
        messages.add(Bytes.wrap(m));
      }
      inputs.add(new Sha256Input(messages));
    }
    List<Sha256Output> got = roundTrip(BuiltinKinds.sha256(), inputs);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(got.get(i)).isEqualTo(Sha256Kind.compute(inputs.get(i)));
    }
  }

  @Test
  void powMatchesTheReferenceBitForBit() {
    SplittableRandom random = new SplittableRandom(2);
    List<PowInput> inputs = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      byte[] header = new byte[80];
      random.nextBytes(header);
      long start = random.nextLong(0, (1L << 32) - 20_000);
      long end = start + random.nextInt(1, 20_000);
      // Targets from "about one in 2^10 hashes meets" to "nothing meets".
      byte[] target = new byte[32];
      int zeroBits = new int[] {10, 14, 40}[t % 3];
      BigInteger tgt = BigInteger.ONE.shiftLeft(256 - zeroBits).subtract(BigInteger.ONE);
      byte[] be = tgt.toByteArray();
      System.arraycopy(
          be,
          Math.max(0, be.length - 32),
          target,
          32 - Math.min(32, be.length),
          Math.min(32, be.length));
      inputs.add(
          new PowInput(Bytes.wrap(header), start, end, Bytes.wrap(target), t % 2 == 0, null));
    }
    List<PowOutput> got = roundTrip(BuiltinKinds.pow(), inputs);
    for (int i = 0; i < inputs.size(); i++) {
      PowOutput want = PowKind.search(inputs.get(i), () -> false);
      assertThat(got.get(i)).as("input %d", i).isEqualTo(want);
      assertThat(BuiltinKinds.pow().cheapCheck(inputs.get(i), got.get(i)))
          .isNotEqualTo(TaskKind.Verdict.REFUTED);
    }
  }

  @Test
  void powCarriesTheBestOfAnEarlierPartAndMeetsTheLastNonce() {
    byte[] header = new byte[80];
    new SplittableRandom(4).nextBytes(header);
    byte[] hard = new byte[32];
    hard[31] = 1;
    PowInput first = new PowInput(Bytes.wrap(header), 0, 3000, Bytes.wrap(hard), true, null);
    PowOutput carried = PowKind.search(first, () -> false);
    PowInput rest = new PowInput(Bytes.wrap(header), 3000, 6000, Bytes.wrap(hard), true, carried);
    assertThat(execute(BuiltinKinds.pow(), rest)).isEqualTo(PowKind.search(rest, () -> false));
    PowInput top =
        new PowInput(Bytes.wrap(header), (1L << 32) - 500, 1L << 32, Bytes.wrap(hard), true, null);
    assertThat(execute(BuiltinKinds.pow(), top)).isEqualTo(PowKind.search(top, () -> false));
  }

  @Test
  void modexpMatchesTheReferenceBitForBitIncludingRsa() {
    Random random = new Random(3);
    List<ModExpOp> ops = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int bits = new int[] {5, 32, 63, 128, 512, 1000, 2048}[i % 7];
      BigInteger m = new BigInteger(bits, random).setBit(0).setBit(bits - 1);
      ops.add(
          ModExpOp.of(new BigInteger(bits, random).mod(m), new BigInteger(bits + 3, random), m));
    }
    BigInteger p = BigInteger.probablePrime(512, random);
    BigInteger q = BigInteger.probablePrime(512, random);
    BigInteger n = p.multiply(q);
    BigInteger e = BigInteger.valueOf(65537);
    BigInteger d = e.modInverse(p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE)));
    ops.add(ModExpOp.rsa(new BigInteger(1000, random), d, n, e));
    ModExpInput big = new ModExpInput(ops);
    ModExpInput small =
        ModExpInput.of(ModExpOp.of(BigInteger.ZERO, BigInteger.TEN, BigInteger.ONE));
    List<ModExpOutput> got = roundTrip(BuiltinKinds.modexp(), List.of(big, small));
    assertThat(got.get(0)).isEqualTo(ModExpKind.compute(big));
    assertThat(got.get(1)).isEqualTo(ModExpKind.compute(small));
    assertThat(BuiltinKinds.modexp().cheapCheck(big, got.get(0)))
        .isNotEqualTo(TaskKind.Verdict.REFUTED);
  }

  @Test
  void renderIsEquivalentToTheReferenceTracer() {
    RenderKind kind = BuiltinKinds.render();
    RenderInput frame = RenderInput.frame(48, 36, 4, 77, PixelFormat.FLOAT32);
    List<RenderInput> tiles = List.of(frame.tile(0, 0, 48, 12), frame.tile(5, 20, 30, 16));
    List<RenderOutput> got = roundTrip(kind, tiles);
    for (int i = 0; i < tiles.size(); i++) {
      RenderOutput want = RenderKind.render(tiles.get(i));
      assertThat(kind.equivalent(got.get(i), want)).isTrue();
      double worst = 0;
      for (int c = 0; c < want.channels(); c++) {
        worst = Math.max(worst, Math.abs(got.get(i).raw(c) - want.raw(c)));
      }
      // Same paths in double precision: equal up to the float rounding of the output.
      assertThat(worst).as("largest channel difference").isLessThan(1e-3);
    }
    RenderInput display = RenderInput.frame(16, 8, 2, 5, PixelFormat.UNORM16);
    assertThat(kind.equivalent(execute(kind, display), RenderKind.render(display))).isTrue();
  }

  @Test
  void refusesKindsItDoesNotRunAndBadBatches() {
    assertThatThrownBy(
            () ->
                backend.execute(
                    ModExpKind.general(),
                    List.of(
                        ModExpInput.of(
                            ModExpOp.of(BigInteger.ONE, BigInteger.ONE, BigInteger.TWO))),
                    ExecutionContext.NONE))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("modexp-general");
            });
    assertThatThrownBy(
            () -> backend.execute(BuiltinKinds.sha256(), List.of(), ExecutionContext.NONE))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void cancelledPowSearchStops() {
    PowInput whole =
        new PowInput(
            Bytes.wrap(new byte[80]),
            0,
            1L << 32,
            Bytes.wrap(
                new byte[] {
                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  0, 0, 0, 0, 1
                }),
            true,
            null);
    ExecutionContext cancelled =
        new ExecutionContext() {
          @Override
          public java.util.Optional<Bytes> checkpoint() {
            return java.util.Optional.empty();
          }

          @Override
          public void saveCheckpoint(Bytes state) {}

          @Override
          public boolean cancelled() {
            return true;
          }
        };
    assertThatThrownBy(() -> backend.execute(BuiltinKinds.pow(), List.of(whole), cancelled))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }

  static <I, O> O execute(TaskKind<I, O> kind, I input) {
    return backend.execute(kind, List.of(input), ExecutionContext.NONE).get(0);
  }

  /** Passes inputs through the kind's codec both ways, as a worker receives and returns them. */
  static <I, O> List<O> roundTrip(TaskKind<I, O> kind, List<I> inputs) {
    List<I> decoded = new ArrayList<>();
    for (I in : inputs) {
      decoded.add(kind.inputCodec().decode(kind.inputCodec().encode(in)));
    }
    List<O> out = backend.execute(kind, decoded, ExecutionContext.NONE);
    assertThat(out).hasSize(inputs.size());
    List<O> back = new ArrayList<>();
    for (O o : out) {
      back.add(kind.outputCodec().decode(kind.outputCodec().encode(o)));
    }
    return back;
  }
}
