// Batch modular exponentiation: one thread per (base, exponent, modulus). Every operand has
// `limbs` 32-bit little-endian limbs, stored instance after instance. The host supplies
// r2 = R^2 mod n and n0inv = -n^-1 mod 2^32 per instance (cheap with BigInteger) and reduces
// each base below its modulus. Moduli must be odd.
#include "montgomery.cuh"

extern "C" __global__ void pf_modexp_batch(const uint32_t* __restrict__ base,
                                           const uint32_t* __restrict__ exp,
                                           const uint32_t* __restrict__ mod,
                                           const uint32_t* __restrict__ r2,
                                           const uint32_t* __restrict__ n0inv, uint32_t limbs,
                                           uint32_t expBits, uint32_t count,
                                           uint32_t* __restrict__ out) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= count) return;
  uint32_t table[16 * PF_MAX_LIMBS];
  uint32_t t[PF_MAX_LIMBS + 2];
  uint32_t acc[PF_MAX_LIMBS];
  size_t o = (size_t)i * limbs;
  pf_mod_exp(out + o, base + o, exp + o, expBits, mod + o, r2 + o, n0inv[i], (int)limbs, table,
             t, acc);
}
