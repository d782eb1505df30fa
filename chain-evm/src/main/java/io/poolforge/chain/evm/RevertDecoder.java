package io.poolforge.chain.evm;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Turns EVM revert data into a readable reason: {@code Error(string)}, {@code Panic(uint256)} and
 * the custom errors of the bundled contracts (including OpenZeppelin's ERC-20 errors), e.g. {@code
 * AlreadyPaid(settlementId=0x…)}. Unknown data is shown as hex. Immutable, thread-safe, never
 * blocks.
 */
final class RevertDecoder {

  private static final String ERROR_STRING = "0x08c379a0";
  private static final String PANIC = "0x4e487b71";

  private record ErrorAbi(String name, List<String> paramNames, List<String> types) {}

  private final Map<String, ErrorAbi> bySelector = new HashMap<>();

  RevertDecoder(List<ContractArtifact> artifacts) {
    for (ContractArtifact artifact : artifacts) {
      for (JsonNode item : artifact.abi()) {
        if (!"error".equals(item.path("type").asText())) {
          continue;
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (JsonNode input : item.path("inputs")) {
          names.add(input.path("name").asText());
          types.add(input.path("type").asText());
        }
        String signature = item.get("name").asText() + "(" + String.join(",", types) + ")";
        String selector = Hash.sha3String(signature).substring(0, 10);
        bySelector.putIfAbsent(selector, new ErrorAbi(item.get("name").asText(), names, types));
      }
    }
  }

  static RevertDecoder forBundledContracts() {
    return new RevertDecoder(
        List.of(
            ContractArtifact.load(ContractArtifact.PAYOUTS),
            ContractArtifact.load(ContractArtifact.REWARDS),
            ContractArtifact.load(ContractArtifact.HASH_CHECK),
            ContractArtifact.load(ContractArtifact.TEST_TOKEN)));
  }

  /** A readable reason for {@code data} (0x-hex revert data, possibly empty or null). */
  String decode(String data) {
    if (data == null || data.length() < 10) {
      return "reverted without a reason";
    }
    String hex = data.toLowerCase(java.util.Locale.ROOT);
    String selector = hex.substring(0, 10);
    byte[] body = Numeric.hexStringToByteArray(hex.substring(10));
    try {
      if (selector.equals(ERROR_STRING)) {
        return dynamicString(body, word(body, 0).intValueExact());
      }
      if (selector.equals(PANIC)) {
        return "Panic(0x" + word(body, 0).toString(16) + ")";
      }
      ErrorAbi error = bySelector.get(selector);
      if (error == null) {
        return "unknown revert " + hex;
      }
      StringBuilder reason = new StringBuilder(error.name()).append('(');
      for (int i = 0; i < error.types().size(); i++) {
        if (i > 0) {
          reason.append(", ");
        }
        if (!error.paramNames().get(i).isEmpty()) {
          reason.append(error.paramNames().get(i)).append('=');
        }
        reason.append(value(error.types().get(i), body, i));
      }
      return reason.append(')').toString();
    } catch (RuntimeException malformed) {
      return "malformed revert " + hex;
    }
  }

  private static String value(String type, byte[] body, int index) {
    BigInteger word = word(body, index * 32);
    if (type.equals("address")) {
      return Numeric.toHexStringWithPrefixZeroPadded(word, 40);
    }
    if (type.startsWith("uint")) {
      return word.toString();
    }
    if (type.startsWith("int")) {
      int bits = type.length() == 3 ? 256 : Integer.parseInt(type.substring(3));
      return (word.testBit(bits - 1) ? word.subtract(BigInteger.ONE.shiftLeft(256)) : word)
          .toString();
    }
    if (type.equals("bool")) {
      return String.valueOf(word.signum() != 0);
    }
    if (type.equals("string")) {
      return '"' + dynamicString(body, word.intValueExact()) + '"';
    }
    if (type.startsWith("bytes") && type.length() > 5) {
      return Numeric.toHexStringWithPrefixZeroPadded(word, 64)
          .substring(0, 2 + 2 * Integer.parseInt(type.substring(5)));
    }
    return Numeric.toHexStringWithPrefixZeroPadded(word, 64);
  }

  private static String dynamicString(byte[] body, int offset) {
    int length = word(body, offset).intValueExact();
    return new String(body, offset + 32, length, StandardCharsets.UTF_8);
  }

  private static BigInteger word(byte[] body, int offset) {
    byte[] w = new byte[32];
    System.arraycopy(body, offset, w, 0, 32);
    return new BigInteger(1, w);
  }
}
