package io.poolforge.backend.opencl;

/**
 * One proof-of-work search as the engine takes it. Validated by the caller (the task kind); the
 * engine only relies on the sizes checked here.
 *
 * @param header the 80-byte header; bytes 76..79 are replaced by each nonce (little-endian)
 * @param nonceStart the first nonce, 0..2^32-1
 * @param nonceCount how many nonces, 1..2^32 - nonceStart
 * @param target a 32-byte little-endian 256-bit target; a hash counts when it is at most this
 * @param stopAtFirst stop after the launch that found the first hit (then the best hash covers only
 *     the nonces scanned so far)
 */
record PowSearch(
    byte[] header, long nonceStart, long nonceCount, byte[] target, boolean stopAtFirst) {
  PowSearch {
    if (header.length != 80) {
      throw new IllegalArgumentException("header must be 80 bytes, is " + header.length);
    }
    if (target.length != 32) {
      throw new IllegalArgumentException("target must be 32 bytes, is " + target.length);
    }
    if (nonceStart < 0 || nonceCount < 1 || nonceStart + nonceCount > (1L << 32)) {
      throw new IllegalArgumentException(
          "nonce range [" + nonceStart + ", +" + nonceCount + ") is not within uint32");
    }
  }
}
