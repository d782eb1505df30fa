package io.poolforge.compute.core.kinds;

/**
 * The reference path tracer of the {@code render} kind: a closed room of large spheres (walls) with
 * a mirror, a glass and a diffuse ball, lit by a sphere poking through the ceiling. Iterative (no
 * recursion, one path per sample, so GPU ports follow it step by step), double precision, Russian
 * roulette after {@value #RR_DEPTH} bounces, at most {@value #MAX_DEPTH} bounces. The random
 * numbers come from a xorshift64* generator seeded per pixel from the frame seed and the pixel's
 * frame position. Sines and cosines use {@link StrictMath}, so every JVM computes the same bits.
 * Stateless and thread-safe.
 */
final class PathTracer {
  static final int DIFFUSE = 0;
  static final int MIRROR = 1;
  static final int GLASS = 2;

  static final int RR_DEPTH = 4;
  static final int MAX_DEPTH = 10;

  private static final double EPS = 1e-4;

  /** Per sphere: radius, centre xyz, emission rgb, colour rgb, material. */
  static final double[][] SCENE = {
    {1e5, 1e5 + 1, 40.8, 81.6, 0, 0, 0, .70, .22, .20, DIFFUSE}, // left wall
    {1e5, -1e5 + 99, 40.8, 81.6, 0, 0, 0, .20, .35, .70, DIFFUSE}, // right wall
    {1e5, 50, 40.8, 1e5, 0, 0, 0, .72, .72, .72, DIFFUSE}, // back wall
    {1e5, 50, 40.8, -1e5 + 170, 0, 0, 0, 0, 0, 0, DIFFUSE}, // front wall (behind the camera)
    {1e5, 50, 1e5, 81.6, 0, 0, 0, .72, .72, .72, DIFFUSE}, // floor
    {1e5, 50, -1e5 + 81.6, 81.6, 0, 0, 0, .72, .72, .72, DIFFUSE}, // ceiling
    {15, 28, 15, 52, 0, 0, 0, .98, .98, .98, MIRROR}, // mirror ball
    {15, 71, 15, 86, 0, 0, 0, .98, .98, .98, GLASS}, // glass ball
    {8, 47, 8, 112, 0, 0, 0, .25, .70, .30, DIFFUSE}, // green ball
    {600, 50, 681.6 - .6, 81.6, 9, 9, 9, 0, 0, 0, DIFFUSE}, // light
  };

  private static final double CAM_X = 50;
  private static final double CAM_Y = 51;
  private static final double CAM_Z = 292;
  private static final double[] CAM_DIR = normalize(0, -0.045, -1);
  private static final double FOV = 0.5135;
  private static final double NEAR = 130;

  private PathTracer() {}

  /**
   * Traces one pixel of the frame and writes its mean linear radiance to {@code out[off..off+2]}.
   */
  static void pixel(
      long seed, int frameWidth, int frameHeight, int fx, int fy, int spp, double[] out, int off) {
    long state = Sampling.mix(seed + 0x9E3779B97F4A7C15L * (1 + (long) fy * frameWidth + fx));
    if (state == 0) {
      state = 0x9E3779B97F4A7C15L;
    }
    long[] rng = {state};
    double cxx = frameWidth * FOV / frameHeight;
    // cy = normalize(cross((cxx,0,0), CAM_DIR)) * FOV
    double[] cy = normalize(0, -cxx * CAM_DIR[2], cxx * CAM_DIR[1]);
    double r = 0;
    double g = 0;
    double b = 0;
    double[] ray = new double[6];
    double[] acc = new double[3];
    int row = frameHeight - 1 - fy;
    for (int s = 0; s < spp; s++) {
      double sx = (fx + next(rng)) / frameWidth - 0.5;
      double sy = (row + next(rng)) / frameHeight - 0.5;
      double dx = cxx * sx + cy[0] * FOV * sy + CAM_DIR[0];
      double dy = cy[1] * FOV * sy + CAM_DIR[1];
      double dz = cy[2] * FOV * sy + CAM_DIR[2];
      double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
      dx /= len;
      dy /= len;
      dz /= len;
      ray[0] = CAM_X + dx * NEAR;
      ray[1] = CAM_Y + dy * NEAR;
      ray[2] = CAM_Z + dz * NEAR;
      ray[3] = dx;
      ray[4] = dy;
      ray[5] = dz;
      radiance(ray, rng, acc);
      r += acc[0];
      g += acc[1];
      b += acc[2];
    }
    out[off] = r / spp;
    out[off + 1] = g / spp;
    out[off + 2] = b / spp;
  }

  /** Follows one path from {@code ray} (origin xyz, unit direction xyz), adding up its light. */
  private static void radiance(double[] ray, long[] rng, double[] out) {
    double lr = 0;
    double lg = 0;
    double lb = 0;
    double tr = 1;
    double tg = 1;
    double tb = 1;
    for (int depth = 0; ; depth++) {
      double ox = ray[0];
      double oy = ray[1];
      double oz = ray[2];
      double dx = ray[3];
      double dy = ray[4];
      double dz = ray[5];
      int hit = -1;
      double t = Double.POSITIVE_INFINITY;
      for (int i = 0; i < SCENE.length; i++) {
        double d = intersect(SCENE[i], ox, oy, oz, dx, dy, dz);
        if (d > 0 && d < t) {
          t = d;
          hit = i;
        }
      }
      if (hit < 0) {
        break;
      }
      double[] sp = SCENE[hit];
      double px = ox + dx * t;
      double py = oy + dy * t;
      double pz = oz + dz * t;
      double nx = (px - sp[1]) / sp[0];
      double ny = (py - sp[2]) / sp[0];
      double nz = (pz - sp[3]) / sp[0];
      double cosIn = nx * dx + ny * dy + nz * dz;
      double sign = cosIn < 0 ? 1 : -1;
      double lx = nx * sign;
      double ly = ny * sign;
      double lz = nz * sign;
      lr += tr * sp[4];
      lg += tg * sp[5];
      lb += tb * sp[6];
      double fr = sp[7];
      double fg = sp[8];
      double fb = sp[9];
      double p = Math.max(fr, Math.max(fg, fb));
      if (depth >= RR_DEPTH) {
        if (depth >= MAX_DEPTH || p <= 0 || next(rng) >= p) {
          break;
        }
        fr /= p;
        fg /= p;
        fb /= p;
      }
      tr *= fr;
      tg *= fg;
      tb *= fb;
      ray[0] = px;
      ray[1] = py;
      ray[2] = pz;
      int material = (int) sp[10];
      if (material == DIFFUSE) {
        double phi = 2 * Math.PI * next(rng);
        double r2 = next(rng);
        double r2s = Math.sqrt(r2);
        // orthonormal basis (u, v, w) around the normal facing the ray
        double ax = Math.abs(lx) > 0.1 ? 0 : 1;
        double ay = Math.abs(lx) > 0.1 ? 1 : 0;
        double ux = ay * lz;
        double uy = -ax * lz;
        double uz = ax * ly - ay * lx;
        double ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
        ux /= ul;
        uy /= ul;
        uz /= ul;
        double vx = ly * uz - lz * uy;
        double vy = lz * ux - lx * uz;
        double vz = lx * uy - ly * ux;
        double a = StrictMath.cos(phi) * r2s;
        double c = StrictMath.sin(phi) * r2s;
        double w = Math.sqrt(1 - r2);
        setDirection(
            ray, ux * a + vx * c + lx * w, uy * a + vy * c + ly * w, uz * a + vz * c + lz * w);
      } else {
        double rx = dx - nx * 2 * cosIn;
        double ry = dy - ny * 2 * cosIn;
        double rz = dz - nz * 2 * cosIn;
        if (material == MIRROR) {
          setDirection(ray, rx, ry, rz);
          continue;
        }
        boolean into = sign > 0;
        double nnt = into ? 1 / 1.5 : 1.5;
        double ddn = dx * lx + dy * ly + dz * lz;
        double cos2t = 1 - nnt * nnt * (1 - ddn * ddn);
        if (cos2t < 0) {
          setDirection(ray, rx, ry, rz);
          continue;
        }
        double k = (into ? 1 : -1) * (ddn * nnt + Math.sqrt(cos2t));
        double txd = dx * nnt - nx * k;
        double tyd = dy * nnt - ny * k;
        double tzd = dz * nnt - nz * k;
        double tl = Math.sqrt(txd * txd + tyd * tyd + tzd * tzd);
        txd /= tl;
        tyd /= tl;
        tzd /= tl;
        double r0 = (0.5 * 0.5) / (2.5 * 2.5);
        double cc = 1 - (into ? -ddn : txd * nx + tyd * ny + tzd * nz);
        double re = r0 + (1 - r0) * cc * cc * cc * cc * cc;
        double pr = 0.25 + 0.5 * re;
        if (next(rng) < pr) {
          double f = re / pr;
          tr *= f;
          tg *= f;
          tb *= f;
          setDirection(ray, rx, ry, rz);
        } else {
          double f = (1 - re) / (1 - pr);
          tr *= f;
          tg *= f;
          tb *= f;
          setDirection(ray, txd, tyd, tzd);
        }
      }
    }
    out[0] = lr;
    out[1] = lg;
    out[2] = lb;
  }

  private static void setDirection(double[] ray, double x, double y, double z) {
    double l = Math.sqrt(x * x + y * y + z * z);
    ray[3] = x / l;
    ray[4] = y / l;
    ray[5] = z / l;
  }

  /** The distance along the ray to a sphere, or 0 for a miss. */
  private static double intersect(
      double[] s, double ox, double oy, double oz, double dx, double dy, double dz) {
    double px = s[1] - ox;
    double py = s[2] - oy;
    double pz = s[3] - oz;
    double b = px * dx + py * dy + pz * dz;
    double det = b * b - (px * px + py * py + pz * pz) + s[0] * s[0];
    if (det < 0) {
      return 0;
    }
    det = Math.sqrt(det);
    double t = b - det;
    if (t > EPS) {
      return t;
    }
    t = b + det;
    return t > EPS ? t : 0;
  }

  /** xorshift64*: the next double in [0, 1). */
  static double next(long[] state) {
    long s = state[0];
    s ^= s >>> 12;
    s ^= s << 25;
    s ^= s >>> 27;
    state[0] = s;
    return ((s * 0x2545F4914F6CDD1DL) >>> 11) * 0x1.0p-53;
  }

  private static double[] normalize(double x, double y, double z) {
    double l = Math.sqrt(x * x + y * y + z * z);
    return new double[] {x / l, y / l, z / l};
  }
}
