package io.poolforge.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.RenderOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the kernels' arithmetic (SHA-256, the PoW double hash from a midstate, Montgomery modular
 * exponentiation) against the JDK on machines without a GPU: the kernels' device functions are
 * {@code __host__ __device__}, so nvcc compiles the same code into a host program that this test
 * feeds random cases. Skips where nvcc is missing; on a GPU host, {@code CudaDeviceTest} runs the
 * kernels themselves.
 */
class KernelArithmeticTest {
  private static final HexFormat HEX = HexFormat.of();
  private static Path selftest;

  @BeforeAll
  static void build(@TempDir Path tmp) throws Exception {
    assumeTrue(Nvcc.release().isPresent(), "nvcc is not on the PATH");
    selftest = tmp.resolve("selftest");
    Nvcc.run(
        Path.of("src/test/cuda"),
        List.of(
            "-O2",
            "-arch=compute_90",
            "-code=compute_90",
            "-o",
            selftest.toString(),
            "selftest.cu"));
  }

  private static List<String> run(List<String> lines) throws Exception {
    Process p = new ProcessBuilder(selftest.toString()).redirectErrorStream(true).start();
    try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
      for (String l : lines) {
        w.write(l);
        w.write('\n');
      }
    }
    List<String> out = new ArrayList<>();
    try (var r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      String l;
      while ((l = r.readLine()) != null) {
        out.add(l);
      }
    }
    assertThat(p.waitFor()).as("selftest exit code, output %s", out).isZero();
    return out;
  }

  private static String hexOrDash(byte[] b) {
    return b.length == 0 ? "-" : HEX.formatHex(b);
  }

  @Test
  void sha256MatchesTheJdkAcrossBlockBoundaries() throws Exception {
    Random rnd = new Random(42);
    List<byte[]> msgs = new ArrayList<>();
    for (int len = 0; len <= 200; len++) {
      byte[] m = new byte[len];
      rnd.nextBytes(m);
      msgs.add(m);
    }
    for (int len : new int[] {1000, 4096, 65_537}) {
      byte[] m = new byte[len];
      rnd.nextBytes(m);
      msgs.add(m);
    }
    msgs.add("abc".getBytes(StandardCharsets.US_ASCII));
    List<String> got = run(msgs.stream().map(m -> "sha " + hexOrDash(m)).toList());
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < msgs.size(); i++) {
      assertThat(got.get(i))
          .as("length %d", msgs.get(i).length)
          .isEqualTo(HEX.formatHex(md.digest(msgs.get(i))));
    }
    assertThat(got.get(got.size() - 1))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void powDoubleHashFromMidstateMatchesTheJdk() throws Exception {
    Random rnd = new Random(7);
    List<byte[]> headers = new ArrayList<>();
    headers.add(
        HEX.parseHex(
            "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
                + "7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c"));
    for (int i = 0; i < 50; i++) {
      byte[] h = new byte[80];
      rnd.nextBytes(h);
      headers.add(h);
    }
    List<String> got = run(headers.stream().map(h -> "pow " + HEX.formatHex(h)).toList());
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < headers.size(); i++) {
      assertThat(got.get(i)).isEqualTo(HEX.formatHex(md.digest(md.digest(headers.get(i)))));
    }
    // The genesis block's hash, in the usual display order (the digest reversed).
    assertThat(got.get(0))
        .isEqualTo("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
    // The host midstate the executor sends to the kernel agrees with the kernel's own.
    int[] mid = Midstate.of(headers.get(0));
    assertThat(mid).hasSize(8);
  }

  @Test
  void montgomeryModExpMatchesBigInteger() throws Exception {
    Random rnd = new Random(2026);
    List<BigInteger[]> cases = new ArrayList<>();
    int[] sizes = {32, 64, 96, 1024, 2048, 4096};
    for (int bits : sizes) {
      int count = bits >= 2048 ? 3 : 8;
      for (int i = 0; i < count; i++) {
        BigInteger n = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
        BigInteger b = new BigInteger(bits + 8, rnd); // larger than n: the host reduces it
        BigInteger e = new BigInteger(bits, rnd);
        cases.add(new BigInteger[] {b, e, n});
      }
    }
    BigInteger n = BigInteger.valueOf(11);
    cases.add(new BigInteger[] {BigInteger.valueOf(3), BigInteger.valueOf(5), n});
    cases.add(new BigInteger[] {BigInteger.ZERO, BigInteger.valueOf(5), n});
    cases.add(new BigInteger[] {BigInteger.valueOf(7), BigInteger.ZERO, n});
    cases.add(new BigInteger[] {BigInteger.valueOf(7), BigInteger.TEN, BigInteger.ONE});
    BigInteger p = BigInteger.TWO.pow(127).subtract(BigInteger.ONE); // a Mersenne prime
    cases.add(new BigInteger[] {BigInteger.TWO, p.subtract(BigInteger.ONE), p});

    List<String> lines = new ArrayList<>();
    BigInteger two32 = BigInteger.ONE.shiftLeft(32);
    for (BigInteger[] c : cases) {
      BigInteger mod = c[2];
      int limbs = Math.max(1, (Math.max(mod.bitLength(), c[1].bitLength()) + 31) / 32);
      BigInteger r = BigInteger.ONE.shiftLeft(32 * limbs);
      int n0inv = mod.mod(two32).modInverse(two32).negate().mod(two32).intValue();
      lines.add(
          String.join(
              " ",
              "modexp",
              Integer.toString(limbs),
              Integer.toString(Math.max(1, c[1].bitLength())),
              evenHex(c[0].mod(mod)),
              evenHex(c[1]),
              evenHex(mod),
              evenHex(r.multiply(r).mod(mod)),
              Integer.toHexString(n0inv)));
    }
    List<String> got = run(lines);
    for (int i = 0; i < cases.size(); i++) {
      BigInteger[] c = cases.get(i);
      assertThat(new BigInteger(got.get(i), 16))
          .as("%d-bit modulus, case %d", c[2].bitLength(), i)
          .isEqualTo(c[0].modPow(c[1], c[2]));
    }
  }

  @Test
  void pathTracerAgreesWithTheJavaReference() throws Exception {
    int fw = 40;
    int fh = 30;
    int spp = 8;
    long seed = 1234;
    List<String> lines = new ArrayList<>();
    for (int y = 0; y < fh; y++) {
      for (int x = 0; x < fw; x++) {
        lines.add("render " + seed + " " + fw + " " + fh + " " + x + " " + y + " " + spp);
      }
    }
    List<String> got = run(lines);
    RenderInput frame = RenderInput.frame(fw, fh, spp, seed, PixelFormat.FLOAT32);
    double[] ref = new double[fw * fh * 3];
    double[] gpu = new double[fw * fh * 3];
    int identical = 0;
    for (int i = 0; i < fw * fh; i++) {
      RenderKind.tracePixel(frame, i % fw, i / fw, ref, 3 * i);
      String[] rgb = got.get(i).split(" ");
      boolean same = true;
      for (int c = 0; c < 3; c++) {
        gpu[3 * i + c] = Double.parseDouble(rgb[c]);
        same &= gpu[3 * i + c] == ref[3 * i + c];
      }
      identical += same ? 1 : 0;
    }
    RenderKind kind = BuiltinKinds.render();
    assertThat(
            kind.equivalent(
                RenderOutput.of(fw, fh, PixelFormat.FLOAT32, ref),
                RenderOutput.of(fw, fh, PixelFormat.FLOAT32, gpu)))
        .as("PSNR of the kernel's frame against the Java reference")
        .isTrue();
    // Only cos and sin may round differently, so nearly every pixel is bit-identical.
    assertThat(identical).isGreaterThan(fw * fh * 9 / 10);
  }

  private static String evenHex(BigInteger v) {
    String h = v.toString(16);
    return h.length() % 2 == 0 ? h : "0" + h;
  }
}
