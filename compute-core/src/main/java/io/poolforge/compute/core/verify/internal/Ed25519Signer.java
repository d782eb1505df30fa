package io.poolforge.compute.core.verify.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 signing (RFC 8032 section 5.1.6) for one private key, producing byte for byte the
 * signatures the JDK's {@code Signature.getInstance("Ed25519")} produces (Ed25519 is
 * deterministic), several times faster: the key's expanded secret, prefix and public key are
 * derived once, and [r]B uses {@link FixedBase}'s precomputed table. Everything that depends on the
 * secret runs in constant time.
 *
 * <p>Keys whose seed is not available (an {@link EdECPrivateKey} without {@code getBytes()}, such
 * as a hardware key) or that are not plain Ed25519 keys are signed with the JDK {@link Signature}
 * instead ({@link #isNative()} tells which).
 *
 * <p>Thread-safe (immutable; each call uses its own digest); does not block.
 *
 * @since 0.1.0
 */
public final class Ed25519Signer {
  private final @Nullable PrivateKey jdkKey;
  private final byte[] scalar;
  private final byte[] prefix;
  private final byte[] publicKey;

  private Ed25519Signer(@Nullable PrivateKey jdkKey, byte[] scalar, byte[] prefix, byte[] pub) {
    this.jdkKey = jdkKey;
    this.scalar = scalar;
    this.prefix = prefix;
    this.publicKey = pub;
  }

  /**
   * A signer for a JDK private key: the fast implementation for an Ed25519 key whose 32-byte seed
   * is available, the JDK's otherwise.
   *
   * @param key the private key
   * @return the signer
   */
  public static Ed25519Signer of(PrivateKey key) {
    if (key instanceof EdECPrivateKey ed
        && ed.getParams() instanceof NamedParameterSpec spec
        && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(spec.getName())) {
      Optional<byte[]> seed = ed.getBytes();
      if (seed.isPresent() && seed.get().length == 32) {
        byte[] s = seed.get();
        try {
          return fromSeed(s);
        } finally {
          Arrays.fill(s, (byte) 0);
        }
      }
    }
    return new Ed25519Signer(key, new byte[0], new byte[0], new byte[0]);
  }

  /**
   * A signer for a 32-byte seed (RFC 8032's private key).
   *
   * @param seed the seed
   * @return the signer
   */
  static Ed25519Signer fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("seed is " + seed.length + " bytes, must be 32");
    }
    byte[] h = Sha512.digest().digest(seed);
    byte[] a = Arrays.copyOf(h, 32);
    a[0] &= (byte) 248;
    a[31] &= 127;
    a[31] |= 64;
    byte[] prefix = Arrays.copyOfRange(h, 32, 64);
    Arrays.fill(h, (byte) 0);
    byte[] pub = EdPoint.encode(FixedBase.mul(a));
    return new Ed25519Signer(null, a, prefix, pub);
  }

  /**
   * Whether this signer uses the fast implementation (false: it delegates to the JDK).
   *
   * @return true if native
   */
  public boolean isNative() {
    return jdkKey == null;
  }

  /** The 32-byte encoded public key (native signers only). */
  byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Signs a message.
   *
   * @param message the message
   * @return the 64-byte signature R || S
   * @throws GeneralSecurityException only where the JDK fallback fails (never natively)
   */
  public byte[] sign(byte[] message) throws GeneralSecurityException {
    PrivateKey fallback = jdkKey;
    if (fallback != null) {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(fallback);
      s.update(message);
      return s.sign();
    }
    MessageDigest md = Sha512.digest();
    md.update(prefix);
    md.update(message);
    byte[] r = Scalar25519.reduce(md.digest());
    byte[] encR = EdPoint.encode(FixedBase.mul(r));
    md.update(encR);
    md.update(publicKey);
    md.update(message);
    byte[] k = Scalar25519.reduce(md.digest());
    byte[] s = Scalar25519.mulAdd(k, scalar, r);
    Arrays.fill(r, (byte) 0);
    byte[] sig = Arrays.copyOf(encR, 64);
    System.arraycopy(s, 0, sig, 32, 32);
    return sig;
  }
}
