package io.poolforge.compute.core.kinds;

import static io.poolforge.compute.core.kinds.KindAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderKindTest {
  private final RenderKind kind = BuiltinKinds.render();

  @Test
  void tilesMergeIntoExactlyTheWholeFrame() {
    RenderInput frame = RenderInput.frame(24, 18, 2, 42, PixelFormat.FLOAT32);
    RenderOutput whole = RenderKind.render(frame);
    var splitter = kind.splitter().orElseThrow();
    List<RenderInput> tiles = splitter.split(frame, 6);
    assertThat(tiles).hasSize(6);
    List<RenderOutput> parts = new ArrayList<>();
    tiles.forEach(t -> parts.add(RenderKind.render(t)));
    RenderOutput merged = splitter.merge(frame, parts);
    assertThat(merged).isEqualTo(whole);
    assertThat(splitter.split(frame, 1)).containsExactly(frame);
    assertThat(splitter.split(frame, 1000)).hasSize(24 * 18);
    assertInvalid(() -> splitter.merge(frame, parts.subList(0, 5)), "parts", "not all of it");
  }

  @Test
  void imageIsLitAndDeterministic() {
    RenderInput in = RenderInput.frame(16, 12, 4, 1, PixelFormat.UNORM16);
    RenderOutput a = RenderKind.render(in);
    assertThat(RenderKind.render(in)).isEqualTo(a);
    double sum = 0;
    for (int i = 0; i < a.channels(); i++) {
      sum += a.displayValue(i);
    }
    double mean = sum / a.channels();
    assertThat(mean).isBetween(0.1, 0.9);
    // a pinned reference: changing the scene, the sampler or the RNG changes this digest
    assertThat(Sha256Kind.digest(a.pixels()).toHex()).isEqualTo(REFERENCE_16X12_SPP4_SEED1);
    RenderOutput other = RenderKind.render(RenderInput.frame(16, 12, 4, 2, PixelFormat.UNORM16));
    assertThat(other).isNotEqualTo(a);
  }

  static final String REFERENCE_16X12_SPP4_SEED1 =
      "a3ac88e0588c626014853c0851bfa90bddd9afa73f1e0737b0eb95bd5a1e8574";

  @Test
  void equivalenceIsAPsnrTolerance() {
    RenderInput in = RenderInput.frame(16, 12, 8, 3, PixelFormat.FLOAT32);
    RenderOutput ref = RenderKind.render(in);
    assertThat(kind.exactOutputs()).isFalse();
    assertThat(kind.equivalent(ref, ref)).isTrue();
    // the same render stored as UNORM16 is equivalent
    RenderInput as16 = RenderInput.frame(16, 12, 8, 3, PixelFormat.UNORM16);
    assertThat(kind.equivalent(ref, RenderKind.render(as16))).isTrue();
    // a tiny perturbation of every channel stays equivalent; a different seed does not
    double[] rgb = new double[ref.channels()];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = ref.raw(i) * 1.001;
    }
    assertThat(kind.equivalent(ref, RenderOutput.of(16, 12, PixelFormat.FLOAT32, rgb))).isTrue();
    RenderOutput otherSeed =
        RenderKind.render(RenderInput.frame(16, 12, 8, 4, PixelFormat.FLOAT32));
    assertThat(kind.equivalent(ref, otherSeed)).isFalse();
    rgb[5] = Double.NaN;
    assertThat(kind.equivalent(ref, RenderOutput.of(16, 12, PixelFormat.FLOAT32, rgb))).isFalse();
  }

  @Test
  void cheapCheck() {
    RenderInput in = RenderInput.frame(20, 10, 16, 9, PixelFormat.FLOAT32);
    RenderOutput ref = RenderKind.render(in);
    assertThat(kind.cheapCheck(in, ref)).isEqualTo(Verdict.UNCHECKED);
    RenderOutput black = RenderOutput.of(20, 10, PixelFormat.FLOAT32, new double[600]);
    RenderOutput white = RenderOutput.of(20, 10, PixelFormat.FLOAT32, filled(600, 5.0));
    assertThat(kind.cheapCheck(in, black)).isEqualTo(Verdict.REFUTED);
    assertThat(kind.cheapCheck(in, white)).isEqualTo(Verdict.REFUTED);
    RenderInput tiny = in.tile(3, 4, 2, 2);
    assertThat(kind.cheapCheck(tiny, RenderKind.render(tiny))).isEqualTo(Verdict.CONFIRMED);
    assertThat(kind.cheapCheck(tiny, RenderOutput.of(2, 2, PixelFormat.FLOAT32, filled(12, 5))))
        .isEqualTo(Verdict.REFUTED);
    assertThat(kind.cheapCheck(tiny, ref)).isEqualTo(Verdict.REFUTED);
    double[] withNan = new double[600];
    withNan[0] = Double.POSITIVE_INFINITY;
    assertThat(kind.cheapCheck(in, RenderOutput.of(20, 10, PixelFormat.FLOAT32, withNan)))
        .isEqualTo(Verdict.REFUTED);
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Test
  void codecsRoundTripAndCost() {
    RenderInput in = new RenderInput(640, 480, 64, 32, 64, 64, 16, -5, PixelFormat.UNORM16);
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(in))).isEqualTo(in);
    RenderInput small = in.tile(0, 0, 3, 2);
    RenderOutput out = RenderKind.render(small);
    assertThat(kind.outputCodec().decode(kind.outputCodec().encode(out))).isEqualTo(out);
    assertThat(kind.costUnits(in)).isEqualTo(524_288L);
  }

  @Test
  void badInputNamesFieldAndLimit() {
    assertInvalid(
        () -> new RenderInput(64, 48, 60, 0, 8, 8, 1, 0, PixelFormat.FLOAT32),
        "render.tile",
        "outside the 64x48 frame");
    assertInvalid(
        () -> new RenderInput(64, 48, 0, -1, 8, 8, 1, 0, PixelFormat.FLOAT32),
        "render.tile",
        "outside");
    assertInvalid(
        () -> new RenderInput(64, 48, 0, 0, 0, 8, 1, 0, PixelFormat.FLOAT32), "render.tile", "1x1");
    assertInvalid(
        () -> RenderInput.frame(8193, 8, 1, 0, PixelFormat.FLOAT32), "render.frameWidth", "8192");
    assertInvalid(
        () -> RenderInput.frame(2048, 1024, 1, 0, PixelFormat.FLOAT32), "render.tile", "1048576");
    assertInvalid(
        () -> RenderInput.frame(8, 8, 0, 0, PixelFormat.FLOAT32), "render.spp", "[1, 65536]");
    Bytes outside = kind.inputCodec().encode(RenderInput.frame(8, 8, 1, 0, PixelFormat.FLOAT32));
    byte[] b = outside.toByteArray();
    b[12] = 5; // x = 5 with width 8 on an 8-wide frame
    assertInvalid(() -> kind.inputCodec().decode(Bytes.wrap(b)), "render.tile", "outside");
    assertInvalid(
        () -> new RenderOutput(2, 2, PixelFormat.FLOAT32, Bytes.of(new byte[47])),
        "render.output.pixels",
        "48");
  }
}
