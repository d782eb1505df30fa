// SHA-256 (FIPS 180-4) building blocks shared by the sha256 and pow kernels.
// Every function is __host__ __device__ so the self-test can run the same code on the CPU.
#pragma once
#include <stdint.h>

#ifndef PF_HD
#define PF_HD __host__ __device__ __forceinline__
#endif

#ifdef __CUDA_ARCH__
__constant__ uint32_t PF_K[64] = {
#else
static const uint32_t PF_K[64] = {
#endif
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u};

PF_HD uint32_t pf_rotr(uint32_t x, uint32_t n) {
#ifdef __CUDA_ARCH__
  return __funnelshift_r(x, x, n);
#else
  return (x >> n) | (x << (32 - n));
#endif
}

PF_HD void pf_sha256_init(uint32_t s[8]) {
  s[0] = 0x6a09e667u;
  s[1] = 0xbb67ae85u;
  s[2] = 0x3c6ef372u;
  s[3] = 0xa54ff53au;
  s[4] = 0x510e527fu;
  s[5] = 0x9b05688cu;
  s[6] = 0x1f83d9abu;
  s[7] = 0x5be0cd19u;
}

// One compression of a 16-word (big-endian words) block into state s.
PF_HD void pf_sha256_compress(uint32_t s[8], const uint32_t block[16]) {
  uint32_t w[16];
#pragma unroll
  for (int i = 0; i < 16; i++) w[i] = block[i];
  uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
#pragma unroll
  for (int i = 0; i < 64; i++) {
    uint32_t wi;
    if (i < 16) {
      wi = w[i];
    } else {
      uint32_t w15 = w[(i + 1) & 15], w2 = w[(i + 14) & 15];
      uint32_t s0 = pf_rotr(w15, 7) ^ pf_rotr(w15, 18) ^ (w15 >> 3);
      uint32_t s1 = pf_rotr(w2, 17) ^ pf_rotr(w2, 19) ^ (w2 >> 10);
      wi = w[i & 15] + s0 + w[(i + 9) & 15] + s1;
      w[i & 15] = wi;
    }
    uint32_t S1 = pf_rotr(e, 6) ^ pf_rotr(e, 11) ^ pf_rotr(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = h + S1 + ch + PF_K[i] + wi;
    uint32_t S0 = pf_rotr(a, 2) ^ pf_rotr(a, 13) ^ pf_rotr(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
  s[4] += e;
  s[5] += f;
  s[6] += g;
  s[7] += h;
}

PF_HD uint32_t pf_load_be32(const uint8_t* p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

PF_HD uint32_t pf_bswap32(uint32_t x) {
  return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}

// SHA-256 of an arbitrary message of len bytes; digest as 8 big-endian words.
PF_HD void pf_sha256(const uint8_t* msg, uint64_t len, uint32_t out[8]) {
  pf_sha256_init(out);
  uint32_t block[16];
  uint64_t full = len / 64;
  for (uint64_t bi = 0; bi < full; bi++) {
    for (int i = 0; i < 16; i++) block[i] = pf_load_be32(msg + bi * 64 + 4 * i);
    pf_sha256_compress(out, block);
  }
  // Tail: remaining bytes, 0x80, zeros, 64-bit big-endian bit length; one or two blocks.
  uint32_t rem = (uint32_t)(len - full * 64);
  const uint8_t* tail = msg + full * 64;
  uint8_t buf[128];
  for (uint32_t i = 0; i < 128; i++) buf[i] = 0;
  for (uint32_t i = 0; i < rem; i++) buf[i] = tail[i];
  buf[rem] = 0x80;
  uint32_t blocks = rem < 56 ? 1 : 2;
  uint64_t bits = len * 8;
  for (int i = 0; i < 8; i++) buf[blocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (uint32_t b = 0; b < blocks; b++) {
    for (int i = 0; i < 16; i++) block[i] = pf_load_be32(buf + b * 64 + 4 * i);
    pf_sha256_compress(out, block);
  }
}

// Double SHA-256 of an 80-byte header whose first 64 bytes are summarized by midstate; tail
// holds header words 16..18 (bytes 64..75) as big-endian words; nonce is the little-endian
// uint32 at bytes 76..79. Result: the second digest as 8 big-endian words.
PF_HD void pf_pow_hash(const uint32_t midstate[8], const uint32_t tail[3], uint32_t nonce,
                       uint32_t out[8]) {
  uint32_t s[8];
#pragma unroll
  for (int i = 0; i < 8; i++) s[i] = midstate[i];
  uint32_t block[16];
  block[0] = tail[0];
  block[1] = tail[1];
  block[2] = tail[2];
  block[3] = pf_bswap32(nonce);
  block[4] = 0x80000000u;
#pragma unroll
  for (int i = 5; i < 15; i++) block[i] = 0;
  block[15] = 640;
  pf_sha256_compress(s, block);
#pragma unroll
  for (int i = 0; i < 8; i++) block[i] = s[i];
  block[8] = 0x80000000u;
#pragma unroll
  for (int i = 9; i < 15; i++) block[i] = 0;
  block[15] = 256;
  pf_sha256_init(out);
  pf_sha256_compress(out, block);
}

// The hash as a little-endian 256-bit number, most significant 32-bit word first: word i is
// the byte-swapped digest word 7 - i. That is the order in which PoW compares hashes.
PF_HD void pf_pow_key(const uint32_t digest[8], uint32_t key[8]) {
#pragma unroll
  for (int i = 0; i < 8; i++) key[i] = pf_bswap32(digest[7 - i]);
}

// a < b for 8-word numbers, most significant word first.
PF_HD bool pf_less8(const uint32_t a[8], const uint32_t b[8]) {
#pragma unroll
  for (int i = 0; i < 8; i++) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return false;
}
