package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Keccak256Test {
  private static String keccak(String ascii) {
    return HexFormat.of().formatHex(Keccak256.digest(ascii.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void knownVectors() {
    assertThat(keccak(""))
        .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(keccak("abc"))
        .isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    assertThat(keccak("The quick brown fox jumps over the lazy dog"))
        .isEqualTo("4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
    // the ERC-20 Transfer event topic
    assertThat(keccak("Transfer(address,address,uint256)"))
        .isEqualTo("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  }

  @Test
  void differsFromSha3WhichUsesOtherPadding() throws Exception {
    byte[] sha3 = MessageDigest.getInstance("SHA3-256").digest(new byte[0]);
    assertThat(HexFormat.of().formatHex(sha3))
        .isEqualTo("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
        .isNotEqualTo(keccak(""));
  }

  @Test
  void rangeMatchesCopy() {
    byte[] data = new byte[300];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    byte[] slice = java.util.Arrays.copyOfRange(data, 5, 5 + 137);
    assertThat(Keccak256.digest(data, 5, 137)).isEqualTo(Keccak256.digest(slice));
  }

  @Test
  void badRangeIsRejected() {
    assertThatThrownBy(() -> Keccak256.digest(new byte[4], 2, 3))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("offset");
  }
}
