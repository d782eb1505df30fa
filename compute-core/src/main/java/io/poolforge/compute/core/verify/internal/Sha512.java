package io.poolforge.compute.core.verify.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-512 digests for Ed25519, cloned from one JDK prototype (cheaper than a provider lookup per
 * call). Thread-safe: the prototype is never updated, and each call works on its own clone.
 *
 * @since 0.1.0
 */
final class Sha512 {
  private static final MessageDigest PROTOTYPE = lookup();

  private Sha512() {}

  private static MessageDigest lookup() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required of every JDK", e);
    }
  }

  /** A fresh SHA-512 digest. */
  static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookup();
    }
  }
}
