package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scalar arithmetic mod L against {@link BigInteger}. */
class Scalar25519Test {
  private static final BigInteger L = Scalar25519.L;
  private final Random random = new Random(0x1525519L);

  private static byte[] le(BigInteger v, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }

  private static BigInteger value(byte[] le) {
    return Scalar25519.fromLittleEndian(le, 0, le.length);
  }

  private List<BigInteger> wide() {
    List<BigInteger> v = new ArrayList<>();
    BigInteger max = BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE);
    v.add(BigInteger.ZERO);
    v.add(BigInteger.ONE);
    v.add(max);
    for (int k = 0; k < 20; k++) {
      BigInteger m = L.multiply(BigInteger.valueOf(k));
      v.add(m);
      v.add(m.add(BigInteger.ONE));
      if (k > 0) {
        v.add(m.subtract(BigInteger.ONE));
      }
    }
    v.add(max.divide(L).multiply(L));
    v.add(max.divide(L).multiply(L).subtract(BigInteger.ONE));
    v.add(BigInteger.ONE.shiftLeft(252));
    v.add(BigInteger.ONE.shiftLeft(253).subtract(BigInteger.ONE));
    for (int i = 0; i < 2000; i++) {
      v.add(new BigInteger(1 + random.nextInt(512), random));
    }
    return v;
  }

  @Test
  void reduceMatchesBigInteger() {
    for (BigInteger x : wide()) {
      assertThat(value(Scalar25519.reduce(le(x, 64)))).as("%s", x).isEqualTo(x.mod(L));
    }
  }

  @Test
  void mulAddMatchesBigInteger() {
    BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    List<BigInteger> edge =
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            L.subtract(BigInteger.ONE),
            L,
            max,
            BigInteger.ONE.shiftLeft(255));
    List<BigInteger[]> cases = new ArrayList<>();
    for (BigInteger k : edge) {
      for (BigInteger a : edge) {
        for (BigInteger r : edge) {
          cases.add(new BigInteger[] {k, a, r});
        }
      }
    }
    for (int i = 0; i < 2000; i++) {
      cases.add(
          new BigInteger[] {
            new BigInteger(256, random), new BigInteger(256, random), new BigInteger(256, random)
          });
    }
    for (BigInteger[] c : cases) {
      byte[] s = Scalar25519.mulAdd(le(c[0], 32), le(c[1], 32), le(c[2], 32));
      assertThat(value(s)).isEqualTo(c[0].multiply(c[1]).add(c[2]).mod(L));
    }
  }

  @Test
  void isCanonicalIsBelowL() {
    for (BigInteger x :
        List.of(
            BigInteger.ZERO,
            L.subtract(BigInteger.ONE),
            L,
            L.add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(253),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(252))) {
      assertThat(Scalar25519.isCanonical(le(x, 32), 0)).as("%s", x).isEqualTo(x.compareTo(L) < 0);
    }
    for (int i = 0; i < 1000; i++) {
      BigInteger x = L.add(BigInteger.valueOf(random.nextInt(2000) - 1000));
      assertThat(Scalar25519.isCanonical(le(x, 32), 0)).isEqualTo(x.compareTo(L) < 0);
    }
  }

  @Test
  void radix16DigitsSumToTheScalar() {
    for (int i = 0; i < 500; i++) {
      BigInteger x = new BigInteger(255, random);
      byte[] e = FixedBase.radix16(le(x, 32));
      BigInteger sum = BigInteger.ZERO;
      for (int j = 63; j >= 0; j--) {
        assertThat((int) e[j]).isBetween(-8, 8);
        sum = sum.shiftLeft(4).add(BigInteger.valueOf(e[j]));
      }
      assertThat(sum).isEqualTo(x);
    }
  }

  @Test
  void wnafDigitsAreOddSparseAndSumToTheScalar() {
    for (int w : new int[] {DoubleScalar.WIDTH_A, DoubleScalar.WIDTH_B}) {
      for (int i = 0; i < 500; i++) {
        BigInteger x = i == 0 ? L.subtract(BigInteger.ONE) : new BigInteger(253, random).mod(L);
        byte[] naf = DoubleScalar.wnaf(le(x, 32), w);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -w;
        for (int j = naf.length - 1; j >= 0; j--) {
          sum = sum.shiftLeft(1).add(BigInteger.valueOf(naf[j]));
        }
        for (int j = 0; j < naf.length; j++) {
          if (naf[j] != 0) {
            assertThat(naf[j] & 1).isEqualTo(1);
            assertThat(Math.abs(naf[j])).isLessThan(1 << (w - 1));
            assertThat(j - lastNonZero).isGreaterThanOrEqualTo(w);
            lastNonZero = j;
          }
        }
        assertThat(sum).isEqualTo(x);
      }
    }
  }
}
