// Proof-of-work nonce search over [start, start + count): double SHA-256 of an 80-byte header
// from a host-computed midstate. Finds the lowest nonce whose hash, read as a little-endian
// 256-bit number, is <= target (atomicMin into *found, which the host sets to 0xffffffff and
// which also bounds the search), and each block's best (lowest) hash with its nonce, which the
// host reduces exactly.
#include "sha256.cuh"

extern "C" __global__ void pf_pow_search(const uint32_t* __restrict__ midstate,
                                         const uint32_t* __restrict__ tail, uint32_t start,
                                         uint32_t count, uint32_t perThread,
                                         const uint32_t* __restrict__ target,
                                         uint32_t* __restrict__ found,
                                         uint32_t* __restrict__ blockBest) {
  __shared__ uint32_t sBest[256 * 9];
  uint32_t ms[8], tl[3], tg[8];
#pragma unroll
  for (int i = 0; i < 8; i++) {
    ms[i] = midstate[i];
    tg[i] = target[i];
  }
  tl[0] = tail[0];
  tl[1] = tail[1];
  tl[2] = tail[2];

  uint32_t best[8];
  uint32_t bestNonce = 0xffffffffu;
  bool have = false;
#pragma unroll
  for (int i = 0; i < 8; i++) best[i] = 0xffffffffu;

  uint64_t threads = (uint64_t)gridDim.x * blockDim.x;
  uint64_t t = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
  for (uint32_t k = 0; k < perThread; k++) {
    uint64_t idx = t + (uint64_t)k * threads;  // strided, so low nonces are tried first
    if (idx >= count) break;
    uint32_t nonce = start + (uint32_t)idx;
    if (nonce > *((volatile uint32_t*)found)) break;  // a lower winner exists already
    uint32_t d[8], key[8];
    pf_pow_hash(ms, tl, nonce, d);
    pf_pow_key(d, key);
    if (!have || pf_less8(key, best)) {
#pragma unroll
      for (int i = 0; i < 8; i++) best[i] = key[i];
      bestNonce = nonce;
      have = true;
    }
    if (!pf_less8(tg, key)) {  // key <= target
      atomicMin(found, nonce);
      break;
    }
  }

  uint32_t* mine = sBest + threadIdx.x * 9;
#pragma unroll
  for (int i = 0; i < 8; i++) mine[i] = best[i];
  mine[8] = bestNonce;
  __syncthreads();
  for (uint32_t stride = blockDim.x / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) {
      uint32_t* other = sBest + (threadIdx.x + stride) * 9;
      bool take = pf_less8(other, mine) ||
                  (!pf_less8(mine, other) && other[8] < mine[8]);
      if (take) {
        for (int i = 0; i < 9; i++) mine[i] = other[i];
      }
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    for (int i = 0; i < 9; i++) blockBest[blockIdx.x * 9 + i] = sBest[i];
  }
}

// Raw single-block compressions, for the benchmark that compares with hashcat: each thread
// compresses `rounds` blocks derived from its index and folds them into out[thread] so the
// compiler cannot drop the work.
extern "C" __global__ void pf_sha256_compress_bench(uint32_t rounds, uint32_t* __restrict__ out) {
  uint32_t t = blockIdx.x * blockDim.x + threadIdx.x;
  uint32_t s[8], block[16];
  pf_sha256_init(s);
  uint32_t acc = 0;
  for (uint32_t r = 0; r < rounds; r++) {
#pragma unroll
    for (int i = 0; i < 16; i++) block[i] = t ^ (r * 0x9e3779b9u) ^ (uint32_t)i;
    pf_sha256_compress(s, block);
    acc ^= s[0];
  }
  out[t] = acc;
}
