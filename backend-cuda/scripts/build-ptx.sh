#!/usr/bin/env bash
# Compiles the CUDA kernels (without fused multiply-add, so the render kernel rounds as Java does) under src/main/cuda to PTX for compute capability 9.0 (Hopper; the
# driver JIT-compiles PTX for newer GPUs too) and records a hash of the sources, so that the
# build needs no nvcc and PtxFreshnessTest can tell when the committed PTX is stale.
# Run from anywhere: backend-cuda/scripts/build-ptx.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=$here/src/main/cuda
out=$here/src/main/resources/io/poolforge/backend/cuda/ptx
mkdir -p "$out"
command -v nvcc >/dev/null || { echo "nvcc not found: install the CUDA toolkit to rebuild the PTX" >&2; exit 1; }
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_90 -O3 --fmad=false -o "$out/$name.ptx" "$cu"
  echo "compiled $name.ptx"
done
# The sources' fingerprint: SHA-256 over "<file name>\n<contents>" of every .cu and .cuh, sorted.
(cd "$src" && for f in $(ls *.cu *.cuh | LC_ALL=C sort); do printf '%s\n' "$f"; cat "$f"; done) \
  | sha256sum | cut -d' ' -f1 > "$out/sources.sha256"
nvcc --version | grep -o 'release [0-9.]*' | head -1 > "$out/nvcc.version"
echo "sources $(cat "$out/sources.sha256"), nvcc $(cat "$out/nvcc.version")"
