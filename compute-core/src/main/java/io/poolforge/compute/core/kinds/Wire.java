package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The binary wire format shared by the built-in codecs: big-endian integers, length-prefixed byte
 * strings and unsigned big integers, and a leading format version byte. The reader checks every
 * length against what remains before allocating, and reports malformed input as INVALID_ARGUMENT
 * naming the field. Not thread-safe; one instance per encode or decode.
 */
final class Wire {
  /** The format version every built-in codec writes first. */
  static final int VERSION = 1;

  private Wire() {}

  /** Writes the format. */
  static final class Writer {
    private byte[] buf;
    private int pos;

    Writer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
      u8(VERSION);
    }

    private void ensure(int n) {
      if (buf.length - pos < n) {
        long want = Math.max((long) buf.length * 2, (long) pos + n);
        buf = Arrays.copyOf(buf, (int) Math.min(want, Integer.MAX_VALUE - 8));
      }
    }

    Writer u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
      return this;
    }

    Writer u16(int v) {
      ensure(2);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
      return this;
    }

    Writer u32(long v) {
      ensure(4);
      for (int s = 24; s >= 0; s -= 8) {
        buf[pos++] = (byte) (v >>> s);
      }
      return this;
    }

    Writer i64(long v) {
      ensure(8);
      for (int s = 56; s >= 0; s -= 8) {
        buf[pos++] = (byte) (v >>> s);
      }
      return this;
    }

    /** Raw bytes without a length prefix. */
    Writer raw(Bytes b) {
      ensure(b.size());
      b.asReadOnlyBuffer().get(buf, pos, b.size());
      pos += b.size();
      return this;
    }

    /** A u32 length, then the bytes. */
    Writer bytes(Bytes b) {
      u32(b.size());
      return raw(b);
    }

    /** A non-negative big integer: u16 length, then the unsigned big-endian magnitude. */
    Writer bigint(BigInteger v) {
      byte[] mag = magnitude(v);
      u16(mag.length);
      ensure(mag.length);
      System.arraycopy(mag, 0, buf, pos, mag.length);
      pos += mag.length;
      return this;
    }

    Bytes done() {
      return Bytes.wrap(pos == buf.length ? buf : Arrays.copyOf(buf, pos));
    }
  }

  /** Reads the format. */
  static final class Reader {
    private final byte[] buf;
    private final String kind;
    private int pos;

    Reader(Bytes bytes, String kind) {
      this.buf = bytes.toByteArray();
      this.kind = kind;
      int version = u8(kind + ".version");
      if (version != VERSION) {
        throw PoolException.invalidArgument(
            kind + ".version", "is " + version + ", this codec reads version " + VERSION);
      }
    }

    private void need(String field, long n) {
      if (n > buf.length - pos) {
        throw PoolException.invalidArgument(
            field,
            "is truncated: needs "
                + n
                + " bytes at offset "
                + pos
                + " but the "
                + kind
                + " payload has "
                + (buf.length - pos)
                + " left");
      }
    }

    int u8(String field) {
      need(field, 1);
      return buf[pos++] & 0xff;
    }

    int u16(String field) {
      need(field, 2);
      int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
      pos += 2;
      return v;
    }

    long u32(String field) {
      need(field, 4);
      long v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    long i64(String field) {
      need(field, 8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[pos++] & 0xff);
      }
      return v;
    }

    /** A count, checked against {@code max} before anything is allocated. */
    int count(String field, int min, int max) {
      long n = u32(field);
      if (n < min || n > max) {
        throw PoolException.invalidArgument(
            field, "is " + n + ", must be in [" + min + ", " + max + "]");
      }
      return (int) n;
    }

    Bytes raw(String field, int n) {
      need(field, n);
      Bytes b = Bytes.of(buf, pos, n);
      pos += n;
      return b;
    }

    /** A u32 length (at most {@code maxLength}), then that many bytes. */
    Bytes bytes(String field, int maxLength) {
      long n = u32(field + ".length");
      if (n > maxLength) {
        throw PoolException.invalidArgument(
            field, "is " + n + " bytes, the limit is " + maxLength + " bytes");
      }
      return raw(field, (int) n);
    }

    /** A non-negative big integer of at most {@code maxBits} bits. */
    BigInteger bigint(String field, int maxBits) {
      int n = u16(field + ".length");
      int maxBytes = (maxBits + 7) / 8 + 1;
      if (n > maxBytes) {
        throw PoolException.invalidArgument(
            field, "is " + n + " bytes long, the limit is " + maxBits + " bits");
      }
      need(field, n);
      BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(1, buf, pos, n);
      pos += n;
      return v;
    }

    /** Fails unless every byte was read. */
    void end() {
      if (pos != buf.length) {
        throw PoolException.invalidArgument(
            kind, "has " + (buf.length - pos) + " trailing bytes after offset " + pos);
      }
    }
  }

  /** The unsigned big-endian magnitude of a non-negative integer, without a sign byte. */
  static byte[] magnitude(BigInteger v) {
    if (v.signum() == 0) {
      return new byte[0];
    }
    byte[] b = v.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
