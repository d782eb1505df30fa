package io.poolforge.compute.api.store;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.internal.Checks;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The content address of a blob: an IPFS-compatible CIDv1 with the raw codec and a sha2-256
 * multihash, in base32 multibase ({@code bafkrei...}), so results can be pinned to IPFS under the
 * same id.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the CID string
 * @since 0.1.0
 */
public record ContentId(String value) {
  private static final Pattern FORM = Pattern.compile("bafkrei[a-z2-7]{52}");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  // CIDv1 (0x01), raw codec (0x55), sha2-256 (0x12), 32-byte digest (0x20)
  private static final byte[] PREFIX = {0x01, 0x55, 0x12, 0x20};

  /** Validates the form. */
  public ContentId {
    Checks.matches("contentId", value, FORM, "is not a CIDv1 raw sha2-256 id (bafkrei...)");
  }

  /**
   * Computes the id of some content.
   *
   * @param content the content
   * @return its id
   */
  public static ContentId of(Bytes content) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(content.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    return ofDigest(digest);
  }

  /**
   * The id for a SHA-256 digest.
   *
   * @param sha256 32 bytes
   * @return the id
   */
  public static ContentId ofDigest(byte[] sha256) {
    if (sha256.length != 32) {
      throw PoolException.invalidArgument("sha256", "is " + sha256.length + " bytes, must be 32");
    }
    byte[] raw = new byte[PREFIX.length + 32];
    System.arraycopy(PREFIX, 0, raw, 0, PREFIX.length);
    System.arraycopy(sha256, 0, raw, PREFIX.length, 32);
    return new ContentId("b" + base32(raw));
  }

  private static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return value;
  }
}
