package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModExpEngineTest {
  private static ModExpEngine engine;

  @BeforeAll
  static void start() {
    engine = new ModExpEngine(TestDevices.best());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void randomMixedSizesMatchBigInteger() {
    Random random = new Random(17);
    List<BigInteger> b = new ArrayList<>();
    List<BigInteger> e = new ArrayList<>();
    List<BigInteger> m = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      int bits = new int[] {17, 32, 33, 64, 256, 521, 1024}[i % 7];
      BigInteger mod = new BigInteger(bits, random).setBit(0).setBit(bits - 1);
      m.add(mod);
      b.add(new BigInteger(bits + 40, random)); // often larger than the modulus
      e.add(new BigInteger(1 + random.nextInt(bits + 64), random));
    }
    check(b, e, m);
  }

  @Test
  void edgeCases() {
    BigInteger big = BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE); // all-ones limbs
    List<BigInteger> b =
        List.of(BigInteger.ZERO, BigInteger.TWO, big, big, BigInteger.TEN, BigInteger.ZERO, big);
    List<BigInteger> e =
        List.of(
            BigInteger.ZERO,
            BigInteger.ZERO,
            BigInteger.ONE,
            big,
            BigInteger.TEN,
            BigInteger.ONE,
            BigInteger.valueOf(65537));
    List<BigInteger> m =
        List.of(
            BigInteger.valueOf(3),
            BigInteger.ONE,
            big,
            big,
            BigInteger.ONE,
            BigInteger.valueOf(0xFFFFFFFFL),
            big.subtract(BigInteger.TWO));
    check(b, e, m);
  }

  @Test
  void rsaSizedModuli() {
    Random random = new Random(23);
    BigInteger p = BigInteger.probablePrime(1024, random);
    BigInteger q = BigInteger.probablePrime(1024, random);
    BigInteger n = p.multiply(q);
    BigInteger d =
        BigInteger.valueOf(65537)
            .modInverse(p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE)));
    BigInteger msg = new BigInteger(2000, random);
    BigInteger sig = engine.modPow(List.of(msg), List.of(d), List.of(n))[0];
    assertThat(sig).isEqualTo(msg.modPow(d, n));
    assertThat(engine.modPow(List.of(sig), List.of(BigInteger.valueOf(65537)), List.of(n))[0])
        .isEqualTo(msg);
  }

  @Test
  void fullSize4096BitModulus() {
    Random random = new Random(29);
    BigInteger m = new BigInteger(4096, random).setBit(4095).setBit(0);
    BigInteger base = new BigInteger(4096, random);
    BigInteger exp = new BigInteger(300, random);
    check(List.of(base), List.of(exp), List.of(m));
  }

  private static void check(List<BigInteger> b, List<BigInteger> e, List<BigInteger> m) {
    BigInteger[] got = engine.modPow(b, e, m);
    for (int i = 0; i < b.size(); i++) {
      assertThat(got[i])
          .as("item %d (%d-bit modulus)", i, m.get(i).bitLength())
          .isEqualTo(b.get(i).modPow(e.get(i), m.get(i)));
    }
  }
}
