package io.poolforge.compute.tck.backend;

import io.poolforge.compute.api.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/**
 * Published known answers for the built-in kinds: FIPS 180-4 SHA-256 examples, the Bitcoin genesis
 * block, small modular exponentiations, and a generator of RSA keys for the public-exponent check.
 *
 * <p>Immutable constants and stateless methods; thread-safe.
 *
 * @since 0.1.0
 */
public final class KnownAnswers {
  /** FIPS 180-4 / NIST examples: message to SHA-256 digest (hex). */
  public static final Map<String, String> SHA256 =
      Map.of(
          "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

  /** SHA-256 of one million 'a' characters. */
  public static final String SHA256_MILLION_A =
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

  /** The Bitcoin genesis block header (80 bytes, nonce included). */
  public static final Bytes GENESIS_HEADER =
      Bytes.fromHex(
          "01000000"
              + "00".repeat(32)
              + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a"
              + "29ab5f49"
              + "ffff001d"
              + "1dac2b7c");

  /** The genesis block's nonce. */
  public static final long GENESIS_NONCE = 2_083_236_893L;

  /** The genesis block's compact target. */
  public static final int GENESIS_BITS = 0x1d00ffff;

  /** The genesis block hash as block explorers print it (the digest reversed). */
  public static final String GENESIS_HASH_DISPLAY =
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

  private KnownAnswers() {}

  /**
   * ASCII bytes of a string.
   *
   * @param s the text
   * @return its bytes
   */
  public static Bytes ascii(String s) {
    return Bytes.of(s.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reverses a hash, digest order to display order.
   *
   * @param hash the bytes
   * @return them reversed, as hex
   */
  public static String reversedHex(Bytes hash) {
    byte[] b = hash.toByteArray();
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return Bytes.wrap(r).toHex();
  }

  /**
   * An RSA key with e = 65537.
   *
   * @param bits the modulus size
   * @param rnd the randomness
   * @return {n, e, d}
   */
  public static BigInteger[] rsaKey(int bits, Random rnd) {
    BigInteger e = BigInteger.valueOf(65_537);
    while (true) {
      BigInteger p = BigInteger.probablePrime(bits / 2, rnd);
      BigInteger q = BigInteger.probablePrime(bits - bits / 2, rnd);
      BigInteger p1 = p.subtract(BigInteger.ONE);
      BigInteger q1 = q.subtract(BigInteger.ONE);
      BigInteger lambda = p1.multiply(q1).divide(p1.gcd(q1));
      if (!p.equals(q) && lambda.gcd(e).equals(BigInteger.ONE)) {
        return new BigInteger[] {p.multiply(q), e, e.modInverse(lambda)};
      }
    }
  }
}
