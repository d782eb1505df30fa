package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;

/** HashCheck on a real node, against the JDK's SHA-256 and Bitcoin's genesis block. */
@RealChain
class HashCheckTest {
  // Bitcoin's genesis block header; its nonce 2083236893 sits little-endian at offset 76.
  private static final String GENESIS_HEADER =
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
          + "7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
  private static final long GENESIS_NONCE = 2083236893L;
  private static final BigInteger GENESIS_HASH =
      new BigInteger("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", 16);
  // Target of difficulty 1 (bits 0x1d00ffff).
  private static final BigInteger DIFFICULTY_1 = BigInteger.valueOf(0xffff).shiftLeft(208);

  private static DevChain dev;
  private static String hashCheck;

  @BeforeAll
  static void deploy(HardhatNode node) {
    dev = new DevChain(node.url());
    hashCheck = dev.deploy(DevChain.dev(4), ContractArtifact.HASH_CHECK);
  }

  @AfterAll
  static void close() {
    if (dev != null) {
      dev.close();
    }
  }

  private static Object call(
      String name, List<org.web3j.abi.datatypes.Type> args, TypeReference<?> out) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Function f = new Function(name, (List) args, List.of(out));
    return dev.call(hashCheck, f).get(0).getValue();
  }

  @Test
  void sha256OfMessage() throws Exception {
    byte[] message = "PoolForge task 42".getBytes();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
    assertThat(
            call(
                "checkSha256",
                List.of(new DynamicBytes(message), new Bytes32(digest)),
                new TypeReference<Bool>() {}))
        .isEqualTo(true);
    digest[31] ^= 1;
    assertThat(
            call(
                "checkSha256",
                List.of(new DynamicBytes(message), new Bytes32(digest)),
                new TypeReference<Bool>() {}))
        .isEqualTo(false);
  }

  @Test
  void bitcoinGenesisProofOfWork() {
    byte[] header = HexFormat.of().parseHex(GENESIS_HEADER);
    // The contract writes the nonce itself: clear it in the header to prove that.
    header[76] = header[77] = header[78] = header[79] = 0;
    List<org.web3j.abi.datatypes.Type> args =
        List.of(new DynamicBytes(header), new Uint32(GENESIS_NONCE));
    assertThat(call("powHash", args, new TypeReference<Uint256>() {})).isEqualTo(GENESIS_HASH);

    assertThat(powOk(header, GENESIS_NONCE, DIFFICULTY_1)).isTrue();
    assertThat(powOk(header, GENESIS_NONCE, GENESIS_HASH)).isTrue(); // hash <= target
    assertThat(powOk(header, GENESIS_NONCE, GENESIS_HASH.subtract(BigInteger.ONE))).isFalse();
    assertThat(powOk(header, GENESIS_NONCE + 1, DIFFICULTY_1)).isFalse();
  }

  @Test
  void headerOfWrongLengthIsRefused() {
    String data =
        org.web3j.abi.FunctionEncoder.encode(
            new Function(
                "powHash", List.of(new DynamicBytes(new byte[79]), new Uint32(1)), List.of()));
    assertThat(dev.revertReason(null, hashCheck, data)).isEqualTo("BadHeaderLength(length=79)");
  }

  private static boolean powOk(byte[] header, long nonce, BigInteger target) {
    return (Boolean)
        call(
            "checkPow",
            List.of(new DynamicBytes(header), new Uint32(nonce), new Uint256(target)),
            new TypeReference<Bool>() {});
  }
}
