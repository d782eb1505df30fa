// Runs the kernels' __host__ __device__ arithmetic on the CPU, so that machines without a GPU
// (CI) still check it against the JDK. Reads one case per line from stdin, prints one answer
// per line:
//   sha <hex message | ->          -> hex digest
//   pow <hex 80-byte header>       -> hex of the double SHA-256 (digest byte order)
//   modexp <limbs> <expBits> <base> <exp> <mod> <r2> <n0inv>   (hex, big-endian) -> hex result
//   render <seed> <frameWidth> <frameHeight> <x> <y> <spp>     -> r g b as exact hex doubles
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>
#include <vector>
#include "../../main/cuda/sha256.cuh"
#include "../../main/cuda/montgomery.cuh"
#include "../../main/cuda/render.cuh"

static std::vector<uint8_t> unhex(const char* s) {
  std::vector<uint8_t> v;
  if (strcmp(s, "-") == 0) return v;
  size_t n = strlen(s);
  for (size_t i = 0; i + 1 < n; i += 2) {
    unsigned b;
    sscanf(s + i, "%2x", &b);
    v.push_back((uint8_t)b);
  }
  return v;
}

static std::vector<uint32_t> limbs(const char* hex, int L) {
  std::vector<uint8_t> be = unhex(hex);
  std::vector<uint32_t> out(L, 0);
  for (size_t k = 0; k < be.size(); k++) {
    size_t bit = (be.size() - 1 - k) * 8;
    if (bit / 32 < (size_t)L) out[bit / 32] |= (uint32_t)be[k] << (bit % 32);
  }
  return out;
}

static void print_words_be(const uint32_t* w, int n) {
  for (int i = 0; i < n; i++) printf("%08x", w[i]);
  printf("\n");
}

int main() {
  static char line[1 << 22];
  while (fgets(line, sizeof line, stdin)) {
    char* save = nullptr;
    char* op = strtok_r(line, " \n", &save);
    if (!op) continue;
    if (strcmp(op, "sha") == 0) {
      std::vector<uint8_t> m = unhex(strtok_r(nullptr, " \n", &save));
      uint32_t d[8];
      pf_sha256(m.data(), m.size(), d);
      print_words_be(d, 8);
    } else if (strcmp(op, "pow") == 0) {
      std::vector<uint8_t> h = unhex(strtok_r(nullptr, " \n", &save));
      uint32_t mid[8], block[16], tail[3], d[8];
      pf_sha256_init(mid);
      for (int i = 0; i < 16; i++) block[i] = pf_load_be32(h.data() + 4 * i);
      pf_sha256_compress(mid, block);
      for (int i = 0; i < 3; i++) tail[i] = pf_load_be32(h.data() + 64 + 4 * i);
      uint32_t nonce = h[76] | (h[77] << 8) | (h[78] << 16) | ((uint32_t)h[79] << 24);
      pf_pow_hash(mid, tail, nonce, d);
      print_words_be(d, 8);
    } else if (strcmp(op, "modexp") == 0) {
      int L = atoi(strtok_r(nullptr, " \n", &save));
      uint32_t expBits = (uint32_t)strtoul(strtok_r(nullptr, " \n", &save), nullptr, 10);
      std::vector<uint32_t> base = limbs(strtok_r(nullptr, " \n", &save), L);
      std::vector<uint32_t> exp = limbs(strtok_r(nullptr, " \n", &save), L);
      std::vector<uint32_t> mod = limbs(strtok_r(nullptr, " \n", &save), L);
      std::vector<uint32_t> r2 = limbs(strtok_r(nullptr, " \n", &save), L);
      uint32_t n0inv = (uint32_t)strtoul(strtok_r(nullptr, " \n", &save), nullptr, 16);
      std::vector<uint32_t> out(L), table(16 * L), t(L + 2), acc(L);
      pf_mod_exp(out.data(), base.data(), exp.data(), expBits, mod.data(), r2.data(), n0inv, L,
                 table.data(), t.data(), acc.data());
      for (int i = L - 1; i >= 0; i--) printf("%08x", out[i]);
      printf("\n");
    } else if (strcmp(op, "render") == 0) {
      uint64_t seed = strtoull(strtok_r(nullptr, " \n", &save), nullptr, 10);
      int v[5];
      for (int i = 0; i < 5; i++) v[i] = atoi(strtok_r(nullptr, " \n", &save));
      double rgb[3];
      pf_pixel(seed, v[0], v[1], v[2], v[3], v[4], rgb);
      printf("%a %a %a\n", rgb[0], rgb[1], rgb[2]);
    } else {
      fprintf(stderr, "unknown op %s\n", op);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}
