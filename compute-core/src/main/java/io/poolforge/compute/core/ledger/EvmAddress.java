package io.poolforge.compute.core.ledger;

import io.poolforge.compute.api.PoolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
  private EvmAddress() {}

  /**
   * Whether {@code address} is a well-formed EVM address (with a valid checksum if mixed-case).
   *
   * @param address the text
   * @return true if {@link #canonical} accepts it
   */
  public static boolean isValid(String address) {
    return check(address) != INVALID;
  }

  private static final int INVALID = 0;
  private static final int LOWER = 1;
  private static final int OTHER = 2;

  /** Classifies without regular expressions or copies: this runs once per payee per epoch. */
  private static int check(String address) {
    if (address == null
        || address.length() != 42
        || address.charAt(0) != '0'
        || (address.charAt(1) != 'x' && address.charAt(1) != 'X')) {
      return INVALID;
    }
    boolean upper = false;
    boolean lower = false;
    for (int i = 2; i < 42; i++) {
      char c = address.charAt(i);
      if (c >= 'a' && c <= 'f') {
        lower = true;
      } else if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (c < '0' || c > '9') {
        return INVALID;
      }
    }
    if (!upper) {
      return address.charAt(1) == 'x' ? LOWER : OTHER;
    }
    if (!lower) {
      return OTHER;
    }
    String hex = address.substring(2);
    return checksummed(hex.toLowerCase(Locale.ROOT)).equals(hex) ? OTHER : INVALID;
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
    int kind = check(address);
    if (kind == LOWER) {
      return address;
    }
    if (kind == INVALID) {
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
    byte[] out = new byte[20];
    for (int i = 0; i < 20; i++) {
      out[i] =
          (byte)
              (Character.digit(canonical.charAt(2 + 2 * i), 16) << 4
                  | Character.digit(canonical.charAt(3 + 2 * i), 16));
    }
    return out;
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
