package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Point arithmetic and both scalar multiplications against the {@link RefCurve} oracle. */
class EdPointTest {
  private final Random random = new Random(0xED25519L);

  private static byte[] le(BigInteger v) {
    return Scalar25519.toLittleEndian(v);
  }

  @Test
  void theBasePointIsRfc8032s() {
    // RFC 8032 section 5.1: B = (X(P), Y(P)) with these coordinates
    BigInteger x =
        new BigInteger(
            "15112221349535400772501151409588531511454012693041857206046113283949847762202");
    BigInteger y =
        new BigInteger(
            "46316835694926478169428394003475163141307993866256225615783033603165251855960");
    assertThat(RefCurve.B).isEqualTo(new RefCurve.Point(x, y));
    assertThat(FixedBase.ENCODED).isEqualTo(RefCurve.encode(RefCurve.B));
    assertThat(RefCurve.mul(RefCurve.L, RefCurve.B)).isEqualTo(RefCurve.IDENTITY);
  }

  @Test
  void fixedBaseMultiplicationMatchesTheOracle() {
    BigInteger[] edge = {
      BigInteger.ZERO,
      BigInteger.ONE,
      BigInteger.valueOf(8),
      BigInteger.valueOf(9),
      L().subtract(BigInteger.ONE),
      L(),
      BigInteger.ONE.shiftLeft(254),
      BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE),
      new BigInteger("8".repeat(63), 16) // every radix-16 digit 8: the carry edge
    };
    for (BigInteger k : edge) {
      assertThat(EdPoint.encode(FixedBase.mul(le(k))))
          .as("%s", k)
          .isEqualTo(RefCurve.encode(RefCurve.mul(k, RefCurve.B)));
    }
    for (int i = 0; i < 20; i++) {
      BigInteger k = new BigInteger(255, random);
      assertThat(EdPoint.encode(FixedBase.mul(le(k))))
          .isEqualTo(RefCurve.encode(RefCurve.mul(k, RefCurve.B)));
    }
  }

  @Test
  void everyCombTableEntryIsItsMultipleOfB() {
    // [j * 256^i] B through the table alone (one non-zero digit), for every row and entry; the
    // oracle walks the same multiples by additions and doublings
    RefCurve.Point rowBase = RefCurve.B;
    for (int i = 0; i < 32; i++) {
      RefCurve.Point expected = rowBase;
      for (int j = 1; j <= 8; j++) {
        BigInteger k = BigInteger.valueOf(j).shiftLeft(8 * i);
        if (k.bitLength() <= 255) {
          assertThat(EdPoint.encode(FixedBase.mul(le(k)))).isEqualTo(RefCurve.encode(expected));
        }
        expected = RefCurve.add(expected, rowBase);
      }
      for (int d = 0; d < 8; d++) {
        rowBase = RefCurve.add(rowBase, rowBase);
      }
    }
  }

  @Test
  void doubleScalarMultiplicationMatchesTheOracle() {
    for (int i = 0; i < 12; i++) {
      BigInteger a = new BigInteger(252, random);
      RefCurve.Point pa = RefCurve.mul(a, RefCurve.B);
      if (i % 3 == 0) {
        pa = RefCurve.add(pa, torsion(i)); // mixed-order keys as well
      }
      BigInteger s = i == 1 ? BigInteger.ZERO : new BigInteger(253, random).mod(L());
      BigInteger k = i == 2 ? L().subtract(BigInteger.ONE) : new BigInteger(253, random).mod(L());
      long[] y = Field25519.of(pa.y());
      EdPoint.Extended decoded = EdPoint.decode(y, pa.x().testBit(0) ? 1 : 0);
      assertThat(decoded).isNotNull();
      byte[] got =
          EdPoint.encode(DoubleScalar.mulSub(le(s), le(k), new DoubleScalar.Table(decoded)));
      RefCurve.Point expected =
          RefCurve.add(RefCurve.mul(s, RefCurve.B), RefCurve.negate(RefCurve.mul(k, pa)));
      assertThat(got).isEqualTo(RefCurve.encode(expected));
    }
  }

  @Test
  void doubleScalarMultiplicationAroundTheSplitAtBit128() {
    BigInteger two128 = BigInteger.ONE.shiftLeft(128);
    BigInteger[] edge = {
      BigInteger.ZERO,
      BigInteger.ONE,
      two128.subtract(BigInteger.ONE),
      two128,
      two128.add(BigInteger.ONE),
      two128.shiftLeft(1).subtract(BigInteger.ONE),
      L().subtract(BigInteger.ONE),
      two128.subtract(BigInteger.ONE).shiftLeft(124) // ones across the split
    };
    BigInteger a = new BigInteger(252, random);
    RefCurve.Point pa = RefCurve.mul(a, RefCurve.B);
    EdPoint.Extended decoded = EdPoint.decode(Field25519.of(pa.y()), pa.x().testBit(0) ? 1 : 0);
    DoubleScalar.Table table = new DoubleScalar.Table(decoded);
    for (int i = 0; i < edge.length; i++) {
      BigInteger s = edge[i];
      BigInteger k = edge[(i + 3) % edge.length];
      byte[] got = EdPoint.encode(DoubleScalar.mulSub(le(s), le(k), table));
      RefCurve.Point expected =
          RefCurve.add(RefCurve.mul(s, RefCurve.B), RefCurve.negate(RefCurve.mul(k, pa)));
      assertThat(got).as("s %s k %s", s, k).isEqualTo(RefCurve.encode(expected));
    }
  }

  @Test
  void decodingMatchesTheOracle() {
    for (int i = 0; i < 300; i++) {
      byte[] enc = new byte[32];
      random.nextBytes(enc);
      if (i < 40) {
        enc[31] &= 0x7F;
        enc[31] |= (byte) (random.nextBoolean() ? 0x80 : 0);
      }
      RefCurve.Point expected = RefCurve.decode(enc);
      Ed25519Verifier ours = Ed25519Verifier.fromEncoded(enc);
      assertThat(ours != null)
          .as("decodes %s", java.util.HexFormat.of().formatHex(enc))
          .isEqualTo(expected != null);
    }
  }

  /** One of the 8 points of order dividing 8, by index: [L] of a point of full order. */
  static RefCurve.Point torsion(int index) {
    return Torsion.points().get(index % 8);
  }

  private static BigInteger L() {
    return RefCurve.L;
  }
}
