package io.poolforge.backend.opencl;

/**
 * A plain-Java port of {@link RenderKernel}, line for line, the reference its OpenCL results are
 * compared with in tests. The device may differ in the last bits (OpenCL allows a few ulp for sin
 * and cos, and may fuse multiply-adds), which is why renders are compared within a tolerance.
 */
final class RenderReference {
  static final int SPHERE_DOUBLES = RenderKernel.SPHERE_DOUBLES;
  static final int RR_DEPTH = RenderKernel.RR_DEPTH;
  static final int MAX_DEPTH = RenderKernel.MAX_DEPTH;

  private int globalId;

  /** Renders the whole tile described by the fields. */
  double[] renderTile() {
    rgb = new double[3 * tileWidth * tileHeight];
    for (int i = 0; i < tileWidth * tileHeight; i++) {
      globalId = i;
      run();
    }
    return rgb;
  }

  static RenderReference of(RenderJob job) {
    RenderReference r = new RenderReference();
    r.spheres = job.spheres().clone();
    r.camera = job.camera().clone();
    r.sphereCount = job.spheres().length / SPHERE_DOUBLES;
    r.frameWidth = job.width();
    r.frameHeight = job.height();
    r.tileX = job.tileX();
    r.tileY = job.tileY();
    r.tileWidth = job.tileWidth();
    r.tileHeight = job.tileHeight();
    r.spp = job.spp();
    r.seed = job.seed();
    return r;
  }

  private int getGlobalId() {
    return globalId;
  }

  double[] spheres = new double[SPHERE_DOUBLES];
  double[] camera = new double[8];
  double[] rgb = new double[3];

  int sphereCount;
  int frameWidth;
  int frameHeight;
  int tileX;
  int tileY;
  int tileWidth;
  int tileHeight;
  int spp;
  long seed;

  final long[] rng = new long[1];

  void run() {
    int gid = getGlobalId();
    if (gid < tileWidth * tileHeight) {
      int fx = tileX + gid % tileWidth;
      int fy = tileY + gid / tileWidth;
      long state = mix(seed + mul64(0x9E3779B97F4A7C15L, 1L + (long) fy * frameWidth + fx));
      if (state == 0) {
        state = 0x9E3779B97F4A7C15L;
      }
      rng[0] = state;
      double fov = camera[6];
      double near = camera[7];
      double cdx = camera[3];
      double cdy = camera[4];
      double cdz = camera[5];
      double cxx = frameWidth * fov / frameHeight;
      double cyx = 0.0;
      double cyy = -cxx * cdz;
      double cyz = cxx * cdy;
      double cyl = Math.sqrt(cyx * cyx + cyy * cyy + cyz * cyz);
      cyx = cyx / cyl;
      cyy = cyy / cyl;
      cyz = cyz / cyl;
      double r = 0.0;
      double g = 0.0;
      double b = 0.0;
      int row = frameHeight - 1 - fy;
      for (int s = 0; s < spp; s++) {
        double sx = (fx + next()) / frameWidth - 0.5;
        double sy = (row + next()) / frameHeight - 0.5;
        double dx = cxx * sx + cyx * fov * sy + cdx;
        double dy = cyy * fov * sy + cdy;
        double dz = cyz * fov * sy + cdz;
        double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        dx = dx / len;
        dy = dy / len;
        dz = dz / len;
        double ox = camera[0] + dx * near;
        double oy = camera[1] + dy * near;
        double oz = camera[2] + dz * near;
        double lr = 0.0;
        double lg = 0.0;
        double lb = 0.0;
        double tr = 1.0;
        double tg = 1.0;
        double tb = 1.0;
        int alive = 1;
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
          if (alive == 1) {
            int hit = -1;
            double t = 1e300;
            for (int i = 0; i < sphereCount; i++) {
              int o = i * SPHERE_DOUBLES;
              double px = spheres[o + 1] - ox;
              double py = spheres[o + 2] - oy;
              double pz = spheres[o + 3] - oz;
              double bq = px * dx + py * dy + pz * dz;
              double det = bq * bq - (px * px + py * py + pz * pz) + spheres[o] * spheres[o];
              if (det >= 0.0) {
                det = Math.sqrt(det);
                double d = bq - det;
                if (d <= 1e-4) {
                  d = bq + det;
                }
                if (d > 1e-4 && d < t) {
                  t = d;
                  hit = i;
                }
              }
            }
            if (hit < 0) {
              alive = 0;
            } else {
              int o = hit * SPHERE_DOUBLES;
              double px = ox + dx * t;
              double py = oy + dy * t;
              double pz = oz + dz * t;
              double nx = (px - spheres[o + 1]) / spheres[o];
              double ny = (py - spheres[o + 2]) / spheres[o];
              double nz = (pz - spheres[o + 3]) / spheres[o];
              double cosIn = nx * dx + ny * dy + nz * dz;
              double sign = -1.0;
              if (cosIn < 0.0) {
                sign = 1.0;
              }
              double lx = nx * sign;
              double ly = ny * sign;
              double lz = nz * sign;
              lr = lr + tr * spheres[o + 4];
              lg = lg + tg * spheres[o + 5];
              lb = lb + tb * spheres[o + 6];
              double fr = spheres[o + 7];
              double fg = spheres[o + 8];
              double fb = spheres[o + 9];
              double p = Math.max(fr, Math.max(fg, fb));
              if (depth >= RR_DEPTH) {
                if (depth >= MAX_DEPTH || p <= 0.0) {
                  alive = 0;
                } else if (next() >= p) {
                  alive = 0;
                } else {
                  fr = fr / p;
                  fg = fg / p;
                  fb = fb / p;
                }
              }
              if (alive == 1) {
                tr = tr * fr;
                tg = tg * fg;
                tb = tb * fb;
                ox = px;
                oy = py;
                oz = pz;
                int material = (int) spheres[o + 10];
                double ex = 0.0;
                double ey = 0.0;
                double ez = 0.0;
                if (material == 0) {
                  double phi = 2.0 * Math.PI * next();
                  double r2 = next();
                  double r2s = Math.sqrt(r2);
                  double ax = 1.0;
                  double ay = 0.0;
                  if (Math.abs(lx) > 0.1) {
                    ax = 0.0;
                    ay = 1.0;
                  }
                  double ux = ay * lz;
                  double uy = -ax * lz;
                  double uz = ax * ly - ay * lx;
                  double ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
                  ux = ux / ul;
                  uy = uy / ul;
                  uz = uz / ul;
                  double vx = ly * uz - lz * uy;
                  double vy = lz * ux - lx * uz;
                  double vz = lx * uy - ly * ux;
                  double ca = Math.cos(phi) * r2s;
                  double sa = Math.sin(phi) * r2s;
                  double w = Math.sqrt(1.0 - r2);
                  ex = ux * ca + vx * sa + lx * w;
                  ey = uy * ca + vy * sa + ly * w;
                  ez = uz * ca + vz * sa + lz * w;
                } else {
                  double rx = dx - nx * 2.0 * cosIn;
                  double ry = dy - ny * 2.0 * cosIn;
                  double rz = dz - nz * 2.0 * cosIn;
                  ex = rx;
                  ey = ry;
                  ez = rz;
                  if (material != 1) {
                    double into = -1.0;
                    double nnt = 1.5;
                    if (sign > 0.0) {
                      into = 1.0;
                      nnt = 1.0 / 1.5;
                    }
                    double ddn = dx * lx + dy * ly + dz * lz;
                    double cos2t = 1.0 - nnt * nnt * (1.0 - ddn * ddn);
                    if (cos2t >= 0.0) {
                      double k = into * (ddn * nnt + Math.sqrt(cos2t));
                      double txd = dx * nnt - nx * k;
                      double tyd = dy * nnt - ny * k;
                      double tzd = dz * nnt - nz * k;
                      double tl = Math.sqrt(txd * txd + tyd * tyd + tzd * tzd);
                      txd = txd / tl;
                      tyd = tyd / tl;
                      tzd = tzd / tl;
                      double r0 = (0.5 * 0.5) / (2.5 * 2.5);
                      double cc = 1.0 + ddn;
                      if (into < 0.0) {
                        cc = 1.0 - (txd * nx + tyd * ny + tzd * nz);
                      }
                      double re = r0 + (1.0 - r0) * cc * cc * cc * cc * cc;
                      double pr = 0.25 + 0.5 * re;
                      if (next() < pr) {
                        double f = re / pr;
                        tr = tr * f;
                        tg = tg * f;
                        tb = tb * f;
                      } else {
                        double f = (1.0 - re) / (1.0 - pr);
                        tr = tr * f;
                        tg = tg * f;
                        tb = tb * f;
                        ex = txd;
                        ey = tyd;
                        ez = tzd;
                      }
                    }
                  }
                }
                double el = Math.sqrt(ex * ex + ey * ey + ez * ez);
                dx = ex / el;
                dy = ey / el;
                dz = ez / el;
              }
            }
          }
        }
        r = r + lr;
        g = g + lg;
        b = b + lb;
      }
      rgb[gid * 3] = r / spp;
      rgb[gid * 3 + 1] = g / spp;
      rgb[gid * 3 + 2] = b / spp;
    }
  }

  /** The low 64 bits of {@code a * b}, from 32-bit halves. */
  long mul64(long a, long b) {
    long aLo = a & 0xFFFFFFFFL;
    long aHi = a >>> 32;
    long bLo = b & 0xFFFFFFFFL;
    long bHi = b >>> 32;
    long cross = (aLo * bHi + aHi * bLo) << 32;
    return aLo * bLo + cross;
  }

  /** The SplitMix64 finalizer. */
  long mix(long z0) {
    long z = mul64(z0 ^ (z0 >>> 30), 0xbf58476d1ce4e5b9L);
    z = mul64(z ^ (z >>> 27), 0x94d049bb133111ebL);
    return z ^ (z >>> 31);
  }

  /** xorshift64*: the next double in [0, 1) of the pixel's stream. */
  double next() {
    long s = rng[0];
    s = s ^ (s >>> 12);
    s = s ^ (s << 25);
    s = s ^ (s >>> 27);
    rng[0] = s;
    return (mul64(s, 0x2545F4914F6CDD1DL) >>> 11) * 0x1.0p-53;
  }
}
