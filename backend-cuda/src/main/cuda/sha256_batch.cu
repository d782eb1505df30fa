// Batch SHA-256: one thread per message. Messages are concatenated in data; offsets and
// lengths locate each. Digests are written as 32 big-endian bytes per message.
#include "sha256.cuh"

extern "C" __global__ void pf_sha256_batch(const uint8_t* __restrict__ data,
                                           const unsigned long long* __restrict__ offsets,
                                           const uint32_t* __restrict__ lengths, uint32_t count,
                                           uint8_t* __restrict__ out) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= count) return;
  uint32_t d[8];
  pf_sha256(data + offsets[i], lengths[i], d);
  uint8_t* o = out + 32ull * i;
#pragma unroll
  for (int w = 0; w < 8; w++) {
    o[4 * w] = (uint8_t)(d[w] >> 24);
    o[4 * w + 1] = (uint8_t)(d[w] >> 16);
    o[4 * w + 2] = (uint8_t)(d[w] >> 8);
    o[4 * w + 3] = (uint8_t)d[w];
  }
}
