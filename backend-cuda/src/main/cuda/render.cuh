// The render kind's path tracer, step for step as compute-core's PathTracer: the same scene,
// camera, iterative paths, Russian roulette, xorshift64* numbers seeded per pixel, in double
// precision. Only cos/sin may differ from Java's StrictMath in the last bit, which the kind's
// PSNR tolerance absorbs. __host__ __device__ so the self-test runs it on the CPU.
#pragma once
#include <math.h>
#include <stdint.h>

#ifndef PF_HD
#define PF_HD __host__ __device__ __forceinline__
#endif

#define PF_SPHERES 10
#define PF_DIFFUSE 0
#define PF_MIRROR 1
#define PF_GLASS 2
#define PF_RR_DEPTH 4
#define PF_MAX_DEPTH 10

// Per sphere: radius, centre xyz, emission rgb, colour rgb, material.
#ifdef __CUDA_ARCH__
__constant__ double PF_SCENE[PF_SPHERES][11] = {
#else
static const double PF_SCENE[PF_SPHERES][11] = {
#endif
    {1e5, 1e5 + 1, 40.8, 81.6, 0, 0, 0, .70, .22, .20, PF_DIFFUSE},
    {1e5, -1e5 + 99, 40.8, 81.6, 0, 0, 0, .20, .35, .70, PF_DIFFUSE},
    {1e5, 50, 40.8, 1e5, 0, 0, 0, .72, .72, .72, PF_DIFFUSE},
    {1e5, 50, 40.8, -1e5 + 170, 0, 0, 0, 0, 0, 0, PF_DIFFUSE},
    {1e5, 50, 1e5, 81.6, 0, 0, 0, .72, .72, .72, PF_DIFFUSE},
    {1e5, 50, -1e5 + 81.6, 81.6, 0, 0, 0, .72, .72, .72, PF_DIFFUSE},
    {15, 28, 15, 52, 0, 0, 0, .98, .98, .98, PF_MIRROR},
    {15, 71, 15, 86, 0, 0, 0, .98, .98, .98, PF_GLASS},
    {8, 47, 8, 112, 0, 0, 0, .25, .70, .30, PF_DIFFUSE},
    {600, 50, 681.6 - .6, 81.6, 9, 9, 9, 0, 0, 0, PF_DIFFUSE},
};

PF_HD double pf_next(uint64_t* s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * 0x1.0p-53;
}

PF_HD uint64_t pf_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

PF_HD double pf_intersect(int i, double ox, double oy, double oz, double dx, double dy,
                          double dz) {
  const double* s = PF_SCENE[i];
  double px = s[1] - ox, py = s[2] - oy, pz = s[3] - oz;
  double b = px * dx + py * dy + pz * dz;
  double det = b * b - (px * px + py * py + pz * pz) + s[0] * s[0];
  if (det < 0) return 0;
  det = sqrt(det);
  double t = b - det;
  if (t > 1e-4) return t;
  t = b + det;
  return t > 1e-4 ? t : 0;
}

PF_HD void pf_set_dir(double* d, double x, double y, double z) {
  double l = sqrt(x * x + y * y + z * z);
  d[0] = x / l;
  d[1] = y / l;
  d[2] = z / l;
}

PF_HD void pf_radiance(double* o, double* d, uint64_t* rng, double* out) {
  double lr = 0, lg = 0, lb = 0, tr = 1, tg = 1, tb = 1;
  for (int depth = 0;; depth++) {
    double ox = o[0], oy = o[1], oz = o[2], dx = d[0], dy = d[1], dz = d[2];
    int hit = -1;
    double t = INFINITY;
    for (int i = 0; i < PF_SPHERES; i++) {
      double dist = pf_intersect(i, ox, oy, oz, dx, dy, dz);
      if (dist > 0 && dist < t) {
        t = dist;
        hit = i;
      }
    }
    if (hit < 0) break;
    const double* sp = PF_SCENE[hit];
    double px = ox + dx * t, py = oy + dy * t, pz = oz + dz * t;
    double nx = (px - sp[1]) / sp[0], ny = (py - sp[2]) / sp[0], nz = (pz - sp[3]) / sp[0];
    double cosIn = nx * dx + ny * dy + nz * dz;
    double sign = cosIn < 0 ? 1 : -1;
    double lx = nx * sign, ly = ny * sign, lz = nz * sign;
    lr += tr * sp[4];
    lg += tg * sp[5];
    lb += tb * sp[6];
    double fr = sp[7], fg = sp[8], fb = sp[9];
    double p = fmax(fr, fmax(fg, fb));
    if (depth >= PF_RR_DEPTH) {
      if (depth >= PF_MAX_DEPTH || p <= 0 || pf_next(rng) >= p) break;
      fr /= p;
      fg /= p;
      fb /= p;
    }
    tr *= fr;
    tg *= fg;
    tb *= fb;
    o[0] = px;
    o[1] = py;
    o[2] = pz;
    int material = (int)sp[10];
    if (material == PF_DIFFUSE) {
      double phi = 2 * M_PI * pf_next(rng);
      double r2 = pf_next(rng);
      double r2s = sqrt(r2);
      double ax = fabs(lx) > 0.1 ? 0 : 1;
      double ay = fabs(lx) > 0.1 ? 1 : 0;
      double ux = ay * lz, uy = -ax * lz, uz = ax * ly - ay * lx;
      double ul = sqrt(ux * ux + uy * uy + uz * uz);
      ux /= ul;
      uy /= ul;
      uz /= ul;
      double vx = ly * uz - lz * uy, vy = lz * ux - lx * uz, vz = lx * uy - ly * ux;
      double a = cos(phi) * r2s, c = sin(phi) * r2s, w = sqrt(1 - r2);
      pf_set_dir(d, ux * a + vx * c + lx * w, uy * a + vy * c + ly * w, uz * a + vz * c + lz * w);
    } else {
      double rx = dx - nx * 2 * cosIn, ry = dy - ny * 2 * cosIn, rz = dz - nz * 2 * cosIn;
      if (material == PF_MIRROR) {
        pf_set_dir(d, rx, ry, rz);
        continue;
      }
      bool into = sign > 0;
      double nnt = into ? 1 / 1.5 : 1.5;
      double ddn = dx * lx + dy * ly + dz * lz;
      double cos2t = 1 - nnt * nnt * (1 - ddn * ddn);
      if (cos2t < 0) {
        pf_set_dir(d, rx, ry, rz);
        continue;
      }
      double k = (into ? 1 : -1) * (ddn * nnt + sqrt(cos2t));
      double txd = dx * nnt - nx * k, tyd = dy * nnt - ny * k, tzd = dz * nnt - nz * k;
      double tl = sqrt(txd * txd + tyd * tyd + tzd * tzd);
      txd /= tl;
      tyd /= tl;
      tzd /= tl;
      double r0 = (0.5 * 0.5) / (2.5 * 2.5);
      double cc = 1 - (into ? -ddn : txd * nx + tyd * ny + tzd * nz);
      double re = r0 + (1 - r0) * cc * cc * cc * cc * cc;
      double pr = 0.25 + 0.5 * re;
      if (pf_next(rng) < pr) {
        double f = re / pr;
        tr *= f;
        tg *= f;
        tb *= f;
        pf_set_dir(d, rx, ry, rz);
      } else {
        double f = (1 - re) / (1 - pr);
        tr *= f;
        tg *= f;
        tb *= f;
        pf_set_dir(d, txd, tyd, tzd);
      }
    }
  }
  out[0] = lr;
  out[1] = lg;
  out[2] = lb;
}

// The mean linear radiance of pixel (fx, fy) of the frame (rows top to bottom).
PF_HD void pf_pixel(uint64_t seed, int fw, int fh, int fx, int fy, int spp, double* out) {
  uint64_t state = pf_mix(seed + 0x9E3779B97F4A7C15ull * (1 + (uint64_t)((int64_t)fy * fw + fx)));
  if (state == 0) state = 0x9E3779B97F4A7C15ull;
  double cdx = 0, cdy = -0.045, cdz = -1;
  double cl = sqrt(cdx * cdx + cdy * cdy + cdz * cdz);
  cdx /= cl;
  cdy /= cl;
  cdz /= cl;
  const double fov = 0.5135;
  double cxx = fw * fov / fh;
  double cyx = 0, cyy = -cxx * cdz, cyz = cxx * cdy;
  double cyl = sqrt(cyx * cyx + cyy * cyy + cyz * cyz);
  cyx /= cyl;
  cyy /= cyl;
  cyz /= cyl;
  double r = 0, g = 0, b = 0;
  int row = fh - 1 - fy;
  double o[3], d[3], acc[3];
  for (int s = 0; s < spp; s++) {
    double sx = (fx + pf_next(&state)) / fw - 0.5;
    double sy = (row + pf_next(&state)) / fh - 0.5;
    double dx = cxx * sx + cyx * fov * sy + cdx;
    double dy = cyy * fov * sy + cdy;
    double dz = cyz * fov * sy + cdz;
    double len = sqrt(dx * dx + dy * dy + dz * dz);
    dx /= len;
    dy /= len;
    dz /= len;
    o[0] = 50 + dx * 130;
    o[1] = 51 + dy * 130;
    o[2] = 292 + dz * 130;
    d[0] = dx;
    d[1] = dy;
    d[2] = dz;
    pf_radiance(o, d, &state, acc);
    r += acc[0];
    g += acc[1];
    b += acc[2];
  }
  out[0] = r / spp;
  out[1] = g / spp;
  out[2] = b / spp;
}
