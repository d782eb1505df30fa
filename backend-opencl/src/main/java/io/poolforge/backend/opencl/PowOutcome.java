package io.poolforge.backend.opencl;

/**
 * What a proof-of-work search found.
 *
 * @param foundNonce the lowest nonce whose hash is at most the target, or -1
 * @param bestNonce the lowest nonce among those with the lowest hash
 * @param bestHash that hash: the 32 digest bytes of the double SHA-256
 * @param scanned how many nonces were hashed
 */
record PowOutcome(long foundNonce, long bestNonce, byte[] bestHash, long scanned) {}
