package io.poolforge.compute.core.verify.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The eight points of order dividing 8 on edwards25519, found with {@link RefCurve}. */
final class Torsion {
  private static List<RefCurve.Point> points;

  private Torsion() {}

  /** All eight, identity first, each [8]T = identity (checked). */
  static synchronized List<RefCurve.Point> points() {
    if (points != null) {
      return points;
    }
    // a point of order 8L: [L] of it has order 8, and its multiples are the whole torsion group
    RefCurve.Point generator = null;
    for (int y = 2; generator == null; y++) {
      RefCurve.Point p = RefCurve.decode(BigInteger.valueOf(y), 0);
      if (p == null) {
        continue;
      }
      RefCurve.Point t = RefCurve.mul(RefCurve.L, p);
      if (!RefCurve.mul(BigInteger.valueOf(4), t).equals(RefCurve.IDENTITY)) {
        generator = t;
      }
    }
    List<RefCurve.Point> list = new ArrayList<>();
    RefCurve.Point cur = RefCurve.IDENTITY;
    for (int i = 0; i < 8; i++) {
      list.add(cur);
      cur = RefCurve.add(cur, generator);
    }
    if (!cur.equals(RefCurve.IDENTITY) || list.stream().distinct().count() != 8) {
      throw new IllegalStateException("not the torsion group");
    }
    points = List.copyOf(list);
    return points;
  }
}
