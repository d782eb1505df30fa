package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void copiesOnTheWayInAndOut() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.of(raw);
    raw[0] = 9;
    assertThat(b.get(0)).isEqualTo((byte) 1);
    byte[] out = b.toByteArray();
    out[1] = 9;
    assertThat(b.get(1)).isEqualTo((byte) 2);
  }

  @Test
  void equalityAndOrderingAreByContent() {
    assertThat(Bytes.of(new byte[] {1, 2})).isEqualTo(Bytes.fromHex("0102"));
    assertThat(Bytes.of(new byte[] {1, 2}).hashCode()).isEqualTo(Bytes.fromHex("0102").hashCode());
    assertThat(Bytes.fromHex("ff")).isGreaterThan(Bytes.fromHex("01"));
    assertThat(Bytes.of(new byte[0])).isSameAs(Bytes.EMPTY);
  }

  @Test
  void hexRoundTrips() {
    assertThat(Bytes.fromHex("00ABff").toHex()).isEqualTo("00abff");
    assertThat(Bytes.fromHex("0102").toString()).isEqualTo("Bytes[0102]");
    assertThat(Bytes.wrap(new byte[64]).toString()).contains("64 bytes");
  }

  @Test
  void badInputIsRefused() {
    assertInvalid("hex", () -> Bytes.fromHex("abc"));
    assertInvalid("hex", () -> Bytes.fromHex("zz"));
    assertInvalid("data", () -> Bytes.of(null));
    assertInvalid("offset", () -> Bytes.of(new byte[4], 3, 2));
    assertThat(Bytes.of(new byte[] {1, 2, 3, 4}, 1, 2)).isEqualTo(Bytes.fromHex("0203"));
  }

  @Test
  void readOnlyBufferCannotWrite() {
    var buf = Bytes.fromHex("0102").asReadOnlyBuffer();
    assertThat(buf.isReadOnly()).isTrue();
    assertThat(buf.remaining()).isEqualTo(2);
  }

  @Test
  void updateDigestHashesTheContent() throws Exception {
    // FIPS 180-4 example "abc"
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    Bytes.fromHex("616263").updateDigest(md);
    assertThat(HexFormat.of().formatHex(md.digest()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertInvalid("digest", () -> Bytes.fromHex("00").updateDigest(null));
  }
}
