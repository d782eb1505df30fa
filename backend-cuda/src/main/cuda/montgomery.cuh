// Multi-precision Montgomery arithmetic on 32-bit limbs (little-endian limb order), CIOS form.
// __host__ __device__ so the self-test runs the same code on the CPU.
#pragma once
#include <stdint.h>

#ifndef PF_HD
#define PF_HD __host__ __device__ __forceinline__
#endif

#define PF_MAX_LIMBS 128  // 4096 bits

// out = a * b * R^-1 mod n, with R = 2^(32 L); a, b < n; n odd; n0inv = -n^-1 mod 2^32.
// out may alias a or b. t is scratch of L + 2 limbs.
PF_HD void pf_mont_mul(uint32_t* out, const uint32_t* a, const uint32_t* b, const uint32_t* n,
                       uint32_t n0inv, int L, uint32_t* t) {
  for (int j = 0; j < L + 2; j++) t[j] = 0;
  for (int i = 0; i < L; i++) {
    uint64_t c = 0;
    uint32_t bi = b[i];
    for (int j = 0; j < L; j++) {
      uint64_t s = (uint64_t)t[j] + (uint64_t)a[j] * bi + c;
      t[j] = (uint32_t)s;
      c = s >> 32;
    }
    uint64_t s = (uint64_t)t[L] + c;
    t[L] = (uint32_t)s;
    t[L + 1] = (uint32_t)(s >> 32);
    uint32_t m = t[0] * n0inv;
    s = (uint64_t)t[0] + (uint64_t)m * n[0];
    c = s >> 32;
    for (int j = 1; j < L; j++) {
      s = (uint64_t)t[j] + (uint64_t)m * n[j] + c;
      t[j - 1] = (uint32_t)s;
      c = s >> 32;
    }
    s = (uint64_t)t[L] + c;
    t[L - 1] = (uint32_t)s;
    t[L] = t[L + 1] + (uint32_t)(s >> 32);
  }
  // t < 2n: subtract n once if t >= n.
  bool ge = t[L] != 0;
  if (!ge) {
    ge = true;
    for (int j = L - 1; j >= 0; j--) {
      if (t[j] != n[j]) {
        ge = t[j] > n[j];
        break;
      }
    }
  }
  if (ge) {
    int64_t borrow = 0;
    for (int j = 0; j < L; j++) {
      int64_t d = (int64_t)t[j] - n[j] + borrow;
      out[j] = (uint32_t)d;
      borrow = d >> 32;
    }
  } else {
    for (int j = 0; j < L; j++) out[j] = t[j];
  }
}

// out = base^exp mod n with a fixed 4-bit window. base < n. r2 = R^2 mod n. expBits: bits of
// exp to use (the exponent has ceil(expBits / 32) limbs). Work space: table of 16 L limbs, t of
// L + 2, acc of L.
PF_HD void pf_mod_exp(uint32_t* out, const uint32_t* base, const uint32_t* exp, uint32_t expBits,
                      const uint32_t* n, const uint32_t* r2, uint32_t n0inv, int L,
                      uint32_t* table, uint32_t* t, uint32_t* acc) {
  uint32_t* one = acc;  // temporarily holds 1
  for (int j = 0; j < L; j++) one[j] = 0;
  one[0] = 1;
  pf_mont_mul(table, one, r2, n, n0inv, L, t);           // table[0] = R mod n (one, Montgomery)
  pf_mont_mul(table + L, base, r2, n, n0inv, L, t);      // table[1] = base * R mod n
  for (int k = 2; k < 16; k++) {
    pf_mont_mul(table + k * L, table + (k - 1) * L, table + L, n, n0inv, L, t);
  }
  for (int j = 0; j < L; j++) acc[j] = table[j];
  int windows = (int)((expBits + 3) / 4);
  for (int w = windows - 1; w >= 0; w--) {
    for (int s = 0; s < 4; s++) pf_mont_mul(acc, acc, acc, n, n0inv, L, t);
    uint32_t bit = (uint32_t)w * 4;
    uint32_t digit = (exp[bit / 32] >> (bit % 32)) & 15u;
    pf_mont_mul(acc, acc, table + digit * L, n, n0inv, L, t);
  }
  // Leave Montgomery form: multiply by 1.
  for (int j = 0; j < L; j++) table[j] = 0;
  table[0] = 1;
  pf_mont_mul(out, acc, table, n, n0inv, L, t);
}
