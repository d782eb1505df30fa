package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.PoolException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * EVM payout addresses: {@code 0x} and 40 hex digits. All-lowercase and all-uppercase forms are
 * accepted as they are; a mixed-case address must carry a valid EIP-55 checksum. The canonical form
 * is lowercase.
 *
 * <p>Stateless and thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class EvmAddress {
  private static final Pattern FORM = Pattern.compile("0[xX][0-9a-fA-F]{40}");

  private EvmAddress() {}

  /**
   * Whether {@code address} is a well-formed EVM address (with a valid checksum if mixed-case).
   *
   * @param address the text
   * @return true if {@link #canonical} accepts it
   */
  public static boolean isValid(String address) {
    if (address == null || !FORM.matcher(address).matches()) {
      return false;
    }
    String hex = address.substring(2);
    String lower = hex.toLowerCase(Locale.ROOT);
    if (hex.equals(lower) || hex.equals(hex.toUpperCase(Locale.ROOT))) {
      return true;
    }
    return checksummed(lower).equals(hex);
  }

  /**
   * Validates an address and returns its lowercase form.
   *
   * @param field the field name for the error
   * @param address the text
   * @return {@code 0x} and 40 lowercase hex digits
   * @throws PoolException INVALID_ARGUMENT naming {@code field} if it is not an EVM address
   */
  public static String canonical(String field, String address) {
    if (!isValid(address)) {
      throw PoolException.invalidArgument(
          field,
          "'"
              + abbreviate(String.valueOf(address))
              + "' is not an EVM address (0x and 40 hex digits, EIP-55 checksum if mixed-case)");
    }
    return "0x" + address.substring(2).toLowerCase(Locale.ROOT);
  }

  /**
   * The 20 bytes of a canonical (lowercase) address.
   *
   * @param canonical the output of {@link #canonical}
   * @return 20 bytes
   */
  static byte[] bytes(String canonical) {
    return HexFormat.of().parseHex(canonical, 2, 42);
  }

  private static String checksummed(String lowerHex) {
    byte[] hash = Keccak256.digest(lowerHex.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder(40);
    for (int i = 0; i < 40; i++) {
      char c = lowerHex.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
