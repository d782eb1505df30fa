package io.poolforge.compute.api;

import io.poolforge.compute.api.internal.Checks;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes: task payloads, results, keys and signatures. Equality is by
 * content. Records that carry bytes use this type so that they stay immutable and comparable.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Bytes implements Comparable<Bytes> {
  /** The empty byte sequence. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /**
   * Copies {@code data}.
   *
   * @param data the bytes; not null
   * @return an immutable copy
   */
  public static Bytes of(byte[] data) {
    Checks.notNull("data", data);
    return data.length == 0 ? EMPTY : new Bytes(data.clone());
  }

  /**
   * Copies a range of {@code data}.
   *
   * @param data the bytes
   * @param offset the first byte
   * @param length how many bytes
   * @return an immutable copy of the range
   */
  public static Bytes of(byte[] data, int offset, int length) {
    Checks.notNull("data", data);
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw PoolException.invalidArgument(
          "offset", "range [" + offset + ", +" + length + ") is outside " + data.length + " bytes");
    }
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(data, offset, offset + length));
  }

  /**
   * Takes ownership of {@code data} without copying. The caller must not modify the array
   * afterwards; meant for codecs that build a fresh array.
   *
   * @param data a freshly built array that nobody else references
   * @return a view of it
   */
  public static Bytes wrap(byte[] data) {
    Checks.notNull("data", data);
    return data.length == 0 ? EMPTY : new Bytes(data);
  }

  /**
   * Parses lowercase or uppercase hexadecimal.
   *
   * @param hex an even number of hex digits
   * @return the bytes
   */
  public static Bytes fromHex(String hex) {
    Checks.notNull("hex", hex);
    try {
      return wrap(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw PoolException.invalidArgument("hex", "is not an even-length hex string");
    }
  }

  /**
   * The number of bytes.
   *
   * @return the size
   */
  public int size() {
    return data.length;
  }

  /**
   * Whether there are no bytes.
   *
   * @return true if empty
   */
  public boolean isEmpty() {
    return data.length == 0;
  }

  /**
   * One byte.
   *
   * @param index the position
   * @return the byte there
   */
  public byte get(int index) {
    return data[index];
  }

  /**
   * A fresh copy of the bytes.
   *
   * @return a new array
   */
  public byte[] toByteArray() {
    return data.clone();
  }

  /**
   * A read-only view that shares the bytes.
   *
   * @return a read-only buffer positioned at 0
   */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /**
   * Feeds the bytes to a message digest without copying them. A read-only buffer would make the
   * digest copy every message into a scratch array first; for hashing kinds that copy is a
   * measurable share of the work.
   *
   * @param digest the digest to update; it may not keep a reference to its input (the JDK's do not)
   */
  public void updateDigest(MessageDigest digest) {
    Checks.notNull("digest", digest);
    digest.update(data);
  }

  /**
   * Lowercase hexadecimal.
   *
   * @return the bytes as hex
   */
  public String toHex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Bytes b && Arrays.equals(data, b.data));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(data);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public String toString() {
    return data.length <= 32
        ? "Bytes[" + toHex() + "]"
        : "Bytes[" + data.length + " bytes, " + HexFormat.of().formatHex(data, 0, 16) + "...]";
  }
}
