// Renders one tile: one thread per pixel, writing 3 doubles of mean linear radiance per pixel,
// rows top to bottom.
#include "render.cuh"

extern "C" __global__ void pf_render_tile(unsigned long long seed, int frameWidth,
                                          int frameHeight, int x, int y, int width, int height,
                                          int spp, double* __restrict__ out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= width * height) return;
  int fx = x + i % width;
  int fy = y + i / width;
  pf_pixel(seed, frameWidth, frameHeight, fx, fy, spp, out + 3 * (size_t)i);
}
