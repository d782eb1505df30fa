package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field arithmetic mod 2^255 - 19 against {@link BigInteger}. */
class Field25519Test {
  private static final BigInteger P = Field25519.P;
  private final Random random = new Random(0x25519L);

  private List<BigInteger> values() {
    List<BigInteger> v = new ArrayList<>();
    for (long small : new long[] {0, 1, 2, 18, 19, 20, 121665, 121666}) {
      v.add(BigInteger.valueOf(small));
      v.add(P.subtract(BigInteger.valueOf(small)).mod(P));
    }
    v.add(BigInteger.ONE.shiftLeft(254));
    v.add(BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE).mod(P));
    for (int i = 0; i < 300; i++) {
      v.add(new BigInteger(255, random).mod(P));
    }
    return v;
  }

  /** The integer the limbs stand for, unreduced. */
  private static BigInteger value(long[] limbs) {
    BigInteger v = BigInteger.ZERO;
    int offset = 0;
    for (int i = 0; i < 10; i++) {
      v = v.add(BigInteger.valueOf(limbs[i]).shiftLeft(offset));
      offset += (i & 1) == 0 ? 26 : 25;
    }
    return v;
  }

  @Test
  void mulSquareAddSubMatchBigInteger() {
    List<BigInteger> vs = values();
    for (int i = 0; i < vs.size(); i++) {
      BigInteger a = vs.get(i);
      BigInteger b = vs.get((i * 7 + 3) % vs.size());
      long[] fa = Field25519.of(a);
      long[] fb = Field25519.of(b);
      long[] h = Field25519.create();
      Field25519.mul(h, fa, fb);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(a.multiply(b).mod(P));
      Field25519.square(h, fa);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(a.multiply(a).mod(P));
      Field25519.add(h, fa, fb);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(a.add(b).mod(P));
      Field25519.sub(h, fa, fb);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(a.subtract(b).mod(P));
      Field25519.neg(h, fa);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(a.negate().mod(P));
    }
  }

  @Test
  void productsOfTheLargestAllowedLimbsDoNotOverflow() {
    // sums of four carried values: limbs up to 4 * 2^25 (even) and 4 * 2^24 (odd), either sign
    for (int trial = 0; trial < 2000; trial++) {
      long[] f = new long[10];
      long[] g = new long[10];
      for (int i = 0; i < 10; i++) {
        long max = 4L << ((i & 1) == 0 ? 25 : 24);
        f[i] = trial < 4 ? ((trial & 1) == 0 ? max : -max) : random.nextLong(-max, max + 1);
        g[i] = trial < 4 ? ((trial & 2) == 0 ? max : -max) : random.nextLong(-max, max + 1);
      }
      long[] h = Field25519.create();
      Field25519.mul(h, f, g);
      assertThat(value(h).mod(P)).isEqualTo(value(f).multiply(value(g)).mod(P));
      assertThat(Field25519.toBigInteger(h)).isEqualTo(value(f).multiply(value(g)).mod(P));
      Field25519.square(h, f);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(value(f).pow(2).mod(P));
      for (int i = 0; i < 10; i++) {
        assertThat(Math.abs(h[i])).isLessThan(1L << 26);
      }
    }
  }

  @Test
  void toBytesIsCanonicalForEveryValueNearP() {
    for (int k = 0; k < 40; k++) {
      // 2^255 - 1 - k covers p .. 2^255 - 1 (non-canonical) and values just below p
      BigInteger v = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(1 + k));
      byte[] le = Scalar25519.toLittleEndian(v);
      long[] f = Field25519.create();
      Field25519.fromBytes(f, le, 0);
      assertThat(Field25519.toBigInteger(f)).isEqualTo(v.mod(P));
      Field25519.neg(f, f);
      assertThat(Field25519.toBigInteger(f)).isEqualTo(v.negate().mod(P));
    }
  }

  @Test
  void fromBytesIgnoresTheTopBit() {
    byte[] le = new byte[32];
    le[0] = 5;
    le[31] = (byte) 0x80;
    long[] f = Field25519.create();
    Field25519.fromBytes(f, le, 0);
    assertThat(Field25519.toBigInteger(f)).isEqualTo(BigInteger.valueOf(5));
  }

  @Test
  void invertAndPow22523MatchBigInteger() {
    for (BigInteger a : values().subList(0, 120)) {
      long[] h = Field25519.create();
      Field25519.invert(h, Field25519.of(a));
      BigInteger expected = a.signum() == 0 ? BigInteger.ZERO : a.modInverse(P);
      assertThat(Field25519.toBigInteger(h)).isEqualTo(expected);
      Field25519.pow22523(h, Field25519.of(a));
      assertThat(Field25519.toBigInteger(h))
          .isEqualTo(a.modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P));
    }
  }

  @Test
  void predicatesAndConditionalMove() {
    assertThat(Field25519.isZero(Field25519.of(P))).isEqualTo(1);
    assertThat(Field25519.isZero(Field25519.of(1))).isZero();
    assertThat(Field25519.isNegative(Field25519.of(3))).isEqualTo(1);
    assertThat(Field25519.isNegative(Field25519.of(P.subtract(BigInteger.ONE)))).isZero();
    assertThat(Field25519.equal(Field25519.of(7), Field25519.of(P.add(BigInteger.valueOf(7)))))
        .isEqualTo(1);
    long[] f = Field25519.of(11);
    Field25519.cmov(f, Field25519.of(12), 0L);
    assertThat(Field25519.toBigInteger(f)).isEqualTo(BigInteger.valueOf(11));
    Field25519.cmov(f, Field25519.of(12), -1L);
    assertThat(Field25519.toBigInteger(f)).isEqualTo(BigInteger.valueOf(12));
  }

  @Test
  void squareRootOfMinusOneAndDAreTheCurveConstants() {
    long[] s = Field25519.create();
    Field25519.square(s, EdPoint.SQRT_M1);
    assertThat(Field25519.toBigInteger(s)).isEqualTo(P.subtract(BigInteger.ONE));
    assertThat(Field25519.toBigInteger(EdPoint.D)).isEqualTo(RefCurve.D);
    assertThat(Field25519.toBigInteger(EdPoint.D2)).isEqualTo(RefCurve.D.shiftLeft(1).mod(P));
  }
}
