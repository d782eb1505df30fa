package io.poolforge.compute.core.verify.internal;

import java.math.BigInteger;

/**
 * A slow, obviously-correct edwards25519 in affine coordinates over {@link BigInteger}, written
 * straight from RFC 8032 section 5.1: the independent oracle for point tests.
 */
final class RefCurve {
  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  record Point(BigInteger x, BigInteger y) {}

  static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);

  private RefCurve() {}

  static Point add(Point a, Point b) {
    BigInteger xx = a.x.multiply(b.x).mod(P);
    BigInteger yy = a.y.multiply(b.y).mod(P);
    BigInteger dxy = D.multiply(xx).multiply(yy).mod(P);
    BigInteger x = a.x.multiply(b.y).add(a.y.multiply(b.x));
    BigInteger y = yy.add(xx);
    BigInteger x3 = x.multiply(BigInteger.ONE.add(dxy).modInverse(P)).mod(P);
    BigInteger y3 = y.multiply(BigInteger.ONE.subtract(dxy).mod(P).modInverse(P)).mod(P);
    return new Point(x3, y3);
  }

  /**
   * [k]P by double-and-add in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z, with the
   * projective form of the same affine addition law (no inversion until the end).
   */
  static Point mul(BigInteger k, Point p) {
    BigInteger[] r = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE};
    BigInteger[] q = {p.x, p.y, BigInteger.ONE};
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      r = projectiveAdd(r, r);
      if (k.testBit(i)) {
        r = projectiveAdd(r, q);
      }
    }
    BigInteger zi = r[2].modInverse(P);
    return new Point(r[0].multiply(zi).mod(P), r[1].multiply(zi).mod(P));
  }

  private static BigInteger[] projectiveAdd(BigInteger[] a, BigInteger[] b) {
    // affine x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2), y3 = (y1 y2 + x1 x2) / (1 - d x1 x2 y1
    // y2),
    // multiplied through by Z1 Z2 twice
    BigInteger zz = a[2].multiply(b[2]).mod(P);
    BigInteger zz2 = zz.multiply(zz).mod(P);
    BigInteger xx = a[0].multiply(b[0]).mod(P);
    BigInteger yy = a[1].multiply(b[1]).mod(P);
    BigInteger e = D.multiply(xx).mod(P).multiply(yy).mod(P);
    BigInteger f = zz2.subtract(e).mod(P);
    BigInteger g = zz2.add(e).mod(P);
    BigInteger cross = a[0].multiply(b[1]).add(a[1].multiply(b[0])).mod(P);
    BigInteger x3 = zz.multiply(cross).mod(P).multiply(f).mod(P);
    BigInteger y3 = zz.multiply(yy.add(xx)).mod(P).multiply(g).mod(P);
    BigInteger z3 = g.multiply(f).mod(P);
    return new BigInteger[] {x3, y3, z3};
  }

  static Point negate(Point p) {
    return new Point(P.subtract(p.x).mod(P), p.y);
  }

  static byte[] encode(Point p) {
    byte[] out = Scalar25519.toLittleEndian(p.y);
    if (p.x.testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  /** The point with this y and x parity, or null (RFC 8032 5.1.3, with BigInteger). */
  static Point decode(BigInteger y, int xOdd) {
    if (y.compareTo(P) >= 0) {
      return null;
    }
    BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    if (x2.signum() == 0) {
      return xOdd == 1 ? null : new Point(BigInteger.ZERO, y);
    }
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(x2)) {
      x = x.multiply(BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P)).mod(P);
    }
    if (!x.multiply(x).mod(P).equals(x2)) {
      return null;
    }
    if (x.testBit(0) != (xOdd == 1)) {
      x = P.subtract(x);
    }
    return new Point(x, y);
  }

  static Point decode(byte[] enc) {
    byte[] le = enc.clone();
    int xOdd = (le[31] >> 7) & 1;
    le[31] &= 0x7F;
    return decode(Scalar25519.fromLittleEndian(le, 0, 32), xOdd);
  }

  static final Point B =
      decode(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P), 0);
}
