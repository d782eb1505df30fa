package io.poolforge.compute.core.verify.internal;

import static io.poolforge.compute.core.verify.internal.Field25519.add;
import static io.poolforge.compute.core.verify.internal.Field25519.mul;
import static io.poolforge.compute.core.verify.internal.Field25519.square;
import static io.poolforge.compute.core.verify.internal.Field25519.sub;

import java.math.BigInteger;

/**
 * Points of the twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (edwards25519,
 * RFC 8032 section 5.1) in the coordinate systems of Hisil, Wong, Carter and Dawson, "Twisted
 * Edwards curves revisited" (2008), with a = -1:
 *
 * <ul>
 *   <li>{@link Extended}: (X : Y : Z : T) with x = X/Z, y = Y/Z, x y = T/Z;
 *   <li>{@link Projective}: (X : Y : Z), the same without T, enough to double;
 *   <li>{@link Completed}: ((X : Z), (Y : T)) with x = X/Z, y = Y/T, what an addition or doubling
 *       yields before it is converted back;
 *   <li>{@link Cached}: (Y + X, Y - X, Z, 2d T), an addend prepared for repeated use;
 *   <li>{@link Affine}: (y + x, y - x, 2d x y), an addend with Z = 1 (precomputed tables).
 * </ul>
 *
 * <p>The group operations are the complete, exception-free formulas of that paper (add-2008-hwcd-3,
 * dbl-2008-hwcd) and run in constant time. Instances are mutable and not thread-safe; the class's
 * static constants are never written after class initialization.
 *
 * @since 0.1.0
 */
final class EdPoint {
  /** d = -121665 / 121666 mod p. */
  static final long[] D;

  /** 2 d. */
  static final long[] D2;

  /** A square root of -1: 2^((p - 1) / 4) mod p. */
  static final long[] SQRT_M1;

  static {
    BigInteger p = Field25519.P;
    BigInteger d =
        BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(p)).mod(p);
    D = Field25519.of(d);
    D2 = Field25519.of(d.shiftLeft(1));
    SQRT_M1 = Field25519.of(BigInteger.TWO.modPow(p.subtract(BigInteger.ONE).shiftRight(2), p));
  }

  private EdPoint() {}

  /** (X : Y : Z : T). */
  static final class Extended {
    final long[] x = Field25519.create();
    final long[] y = Field25519.create();
    final long[] z = Field25519.create();
    final long[] t = Field25519.create();

    static Extended identity() {
      Extended p = new Extended();
      p.setIdentity();
      return p;
    }

    void setIdentity() {
      Field25519.zero(x);
      Field25519.one(y);
      Field25519.one(z);
      Field25519.zero(t);
    }

    void set(Extended p) {
      Field25519.copy(x, p.x);
      Field25519.copy(y, p.y);
      Field25519.copy(z, p.z);
      Field25519.copy(t, p.t);
    }

    /** this = p, converted. */
    void set(Completed p) {
      mul(x, p.x, p.t);
      mul(y, p.y, p.z);
      mul(z, p.z, p.t);
      mul(t, p.x, p.y);
    }
  }

  /** (X : Y : Z). */
  static final class Projective {
    final long[] x = Field25519.create();
    final long[] y = Field25519.create();
    final long[] z = Field25519.create();

    void setIdentity() {
      Field25519.zero(x);
      Field25519.one(y);
      Field25519.one(z);
    }

    void set(Completed p) {
      mul(x, p.x, p.t);
      mul(y, p.y, p.z);
      mul(z, p.z, p.t);
    }

    void set(Extended p) {
      Field25519.copy(x, p.x);
      Field25519.copy(y, p.y);
      Field25519.copy(z, p.z);
    }
  }

  /** ((X : Z), (Y : T)), with a scratch element for the operations that produce it. */
  static final class Completed {
    final long[] x = Field25519.create();
    final long[] y = Field25519.create();
    final long[] z = Field25519.create();
    final long[] t = Field25519.create();
    private final long[] scratch = Field25519.create();
  }

  /** (Y + X, Y - X, Z, 2d T). */
  static final class Cached {
    final long[] yPlusX = Field25519.create();
    final long[] yMinusX = Field25519.create();
    final long[] z = Field25519.create();
    final long[] t2d = Field25519.create();

    static Cached of(Extended p) {
      Cached c = new Cached();
      add(c.yPlusX, p.y, p.x);
      sub(c.yMinusX, p.y, p.x);
      Field25519.copy(c.z, p.z);
      mul(c.t2d, p.t, D2);
      return c;
    }
  }

  /** (y + x, y - x, 2d x y) of a point with Z = 1. */
  static final class Affine {
    final long[] yPlusX = Field25519.create();
    final long[] yMinusX = Field25519.create();
    final long[] xy2d = Field25519.create();

    void setIdentity() {
      Field25519.one(yPlusX);
      Field25519.one(yMinusX);
      Field25519.zero(xy2d);
    }

    /** The affine form of a point whose Z is 1. */
    static Affine ofNormalized(Extended p) {
      Affine a = new Affine();
      add(a.yPlusX, p.y, p.x);
      sub(a.yMinusX, p.y, p.x);
      mul(a.xy2d, p.t, D2);
      // carry the sum and difference so that table entries are as small as products
      mul(a.yPlusX, a.yPlusX, ONE);
      mul(a.yMinusX, a.yMinusX, ONE);
      return a;
    }

    /** this = q where {@code mask} is all ones; unchanged where it is 0. */
    void cmov(Affine q, long mask) {
      Field25519.cmov(yPlusX, q.yPlusX, mask);
      Field25519.cmov(yMinusX, q.yMinusX, mask);
      Field25519.cmov(xy2d, q.xy2d, mask);
    }
  }

  private static final long[] ONE = Field25519.of(1);

  /** r = 2 p. */
  static void dbl(Completed r, Projective p) {
    long[] t0 = r.scratch;
    square(r.x, p.x); // A
    square(r.z, p.y); // B
    square(r.t, p.z);
    add(r.t, r.t, r.t); // C = 2 Z^2
    add(r.y, p.x, p.y);
    square(t0, r.y); // (X + Y)^2
    add(r.y, r.z, r.x); // A + B
    sub(r.z, r.z, r.x); // G = B - A
    sub(r.x, t0, r.y); // E = (X + Y)^2 - A - B
    Field25519.neg(r.y, r.y); // H = -A - B
    sub(r.t, r.z, r.t); // F = G - C
  }

  /** r = p + q. */
  static void plus(Completed r, Extended p, Cached q) {
    long[] t0 = r.scratch;
    add(r.x, p.y, p.x);
    sub(r.y, p.y, p.x);
    mul(r.z, r.x, q.yPlusX); // B
    mul(r.y, r.y, q.yMinusX); // A
    mul(r.t, q.t2d, p.t); // C
    mul(r.x, p.z, q.z);
    add(t0, r.x, r.x); // D
    sub(r.x, r.z, r.y); // E
    add(r.y, r.z, r.y); // H
    add(r.z, t0, r.t); // G
    sub(r.t, t0, r.t); // F
  }

  /** r = p - q. */
  static void minus(Completed r, Extended p, Cached q) {
    long[] t0 = r.scratch;
    add(r.x, p.y, p.x);
    sub(r.y, p.y, p.x);
    mul(r.z, r.x, q.yMinusX); // B
    mul(r.y, r.y, q.yPlusX); // A
    mul(r.t, q.t2d, p.t); // -C
    mul(r.x, p.z, q.z);
    add(t0, r.x, r.x); // D
    sub(r.x, r.z, r.y); // E
    add(r.y, r.z, r.y); // H
    sub(r.z, t0, r.t); // G
    add(r.t, t0, r.t); // F
  }

  /** r = p + q for an affine q. */
  static void plus(Completed r, Extended p, Affine q) {
    long[] t0 = r.scratch;
    add(r.x, p.y, p.x);
    sub(r.y, p.y, p.x);
    mul(r.z, r.x, q.yPlusX); // B
    mul(r.y, r.y, q.yMinusX); // A
    mul(r.t, q.xy2d, p.t); // C
    add(t0, p.z, p.z); // D
    sub(r.x, r.z, r.y); // E
    add(r.y, r.z, r.y); // H
    add(r.z, t0, r.t); // G
    sub(r.t, t0, r.t); // F
  }

  /** r = p - q for an affine q. */
  static void minus(Completed r, Extended p, Affine q) {
    long[] t0 = r.scratch;
    add(r.x, p.y, p.x);
    sub(r.y, p.y, p.x);
    mul(r.z, r.x, q.yMinusX); // B
    mul(r.y, r.y, q.yPlusX); // A
    mul(r.t, q.xy2d, p.t); // -C
    add(t0, p.z, p.z); // D
    sub(r.x, r.z, r.y); // E
    add(r.y, r.z, r.y); // H
    sub(r.z, t0, r.t); // G
    add(r.t, t0, r.t); // F
  }

  /** The 32-byte encoding of (X : Y : Z): y little-endian, x's parity in the top bit. */
  static byte[] encode(long[] x, long[] y, long[] z) {
    long[] zi = Field25519.create();
    long[] ax = Field25519.create();
    long[] ay = Field25519.create();
    Field25519.invert(zi, z);
    mul(ax, x, zi);
    mul(ay, y, zi);
    byte[] out = Field25519.toBytes(ay);
    out[31] |= (byte) (Field25519.isNegative(ax) << 7);
    return out;
  }

  static byte[] encode(Extended p) {
    return encode(p.x, p.y, p.z);
  }

  static byte[] encode(Projective p) {
    return encode(p.x, p.y, p.z);
  }

  /**
   * Decodes a point from y (already checked to be below p) and x's parity, as RFC 8032 section
   * 5.1.3 does; null when no such point exists (x^2 is not a square, or x = 0 with parity 1).
   * Public data only: it may take more time for some inputs than for others.
   */
  static Extended decode(long[] y, int xOdd) {
    long[] yy = Field25519.create();
    long[] u = Field25519.create();
    long[] v = Field25519.create();
    square(yy, y);
    sub(u, yy, ONE); // u = y^2 - 1
    mul(v, yy, D);
    add(v, v, ONE); // v = d y^2 + 1
    long[] v3 = Field25519.create();
    long[] t = Field25519.create();
    long[] x = Field25519.create();
    square(v3, v);
    mul(v3, v3, v); // v^3
    square(t, v3);
    mul(t, t, v); // v^7
    mul(t, t, u); // u v^7
    Field25519.pow22523(t, t); // (u v^7)^((p - 5) / 8)
    mul(t, t, v3);
    mul(x, t, u); // x = u v^3 (u v^7)^((p - 5) / 8)
    long[] vxx = Field25519.create();
    square(vxx, x);
    mul(vxx, vxx, v);
    if (Field25519.equal(vxx, u) == 0) {
      long[] negU = Field25519.create();
      Field25519.neg(negU, u);
      if (Field25519.equal(vxx, negU) == 0) {
        return null;
      }
      mul(x, x, SQRT_M1);
    }
    if (Field25519.isZero(x) == 1 && xOdd == 1) {
      return null;
    }
    if (Field25519.isNegative(x) != xOdd) {
      Field25519.neg(x, x);
    }
    Extended p = new Extended();
    Field25519.copy(p.x, x);
    mul(p.y, y, ONE);
    Field25519.one(p.z);
    mul(p.t, x, p.y);
    return p;
  }
}
