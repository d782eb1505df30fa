package io.poolforge.compute.core.verify.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 verification (RFC 8032 section 5.1.7) for one public key, with exactly the JDK 25
 * verdicts: the signature must be 64 bytes, S must be below L, R must be the canonical encoding of
 * a curve point, and [S]B must equal R + [k]A (cofactorless; compared by encoding, which for a
 * canonical R is the same as comparing points). The key is decoded, and its odd multiples are
 * prepared, once; each check is one Straus-Shamir multiplication ({@link DoubleScalar}).
 *
 * <p>Keys the JDK would refuse at {@code initVerify} (y not below p, no such point, x = 0 with the
 * sign bit set) and keys that are not plain Ed25519 keys are handed to the JDK {@link Signature},
 * so they behave exactly as before ({@link #isNative()} tells which).
 *
 * <p>Thread-safe (immutable; each call uses its own state); does not block. Verification handles
 * only public data and runs in variable time.
 *
 * @since 0.1.0
 */
public final class Ed25519Verifier {
  private final @Nullable PublicKey jdkKey;
  private final byte[] encoded;
  private final DoubleScalar.@Nullable Table table;

  private Ed25519Verifier(
      @Nullable PublicKey jdkKey, byte[] encoded, DoubleScalar.@Nullable Table table) {
    this.jdkKey = jdkKey;
    this.encoded = encoded;
    this.table = table;
  }

  /**
   * A verifier for a JDK public key: the fast implementation for a valid Ed25519 key, the JDK's
   * otherwise.
   *
   * @param key the public key
   * @return the verifier
   */
  public static Ed25519Verifier of(PublicKey key) {
    if (key instanceof EdECPublicKey ed
        && ed.getParams() instanceof NamedParameterSpec spec
        && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(spec.getName())) {
      EdECPoint point = ed.getPoint();
      BigInteger y = point.getY();
      if (y.signum() >= 0 && y.compareTo(Field25519.P) < 0) {
        byte[] enc = Scalar25519.toLittleEndian(y);
        if (point.isXOdd()) {
          enc[31] |= (byte) 0x80;
        }
        Ed25519Verifier v = fromEncoded(enc);
        if (v != null) {
          return v;
        }
      }
    }
    return new Ed25519Verifier(key, new byte[0], null);
  }

  /**
   * A native verifier for a 32-byte encoded public key, or null where the JDK refuses the key
   * (non-canonical y, not a point, x = 0 with the sign bit set).
   */
  static @Nullable Ed25519Verifier fromEncoded(byte[] a) {
    if (a.length != 32 || !isCanonicalY(a)) {
      return null;
    }
    long[] y = Field25519.create();
    Field25519.fromBytes(y, a, 0);
    EdPoint.Extended point = EdPoint.decode(y, (a[31] >> 7) & 1);
    if (point == null) {
      return null;
    }
    return new Ed25519Verifier(null, a.clone(), new DoubleScalar.Table(point));
  }

  /** Whether the low 255 bits of a 32-byte encoding are below p = 2^255 - 19. */
  static boolean isCanonicalY(byte[] a) {
    if ((a[31] & 0x7F) != 0x7F) {
      return true;
    }
    for (int i = 30; i >= 1; i--) {
      if ((a[i] & 0xFF) != 0xFF) {
        return true;
      }
    }
    return (a[0] & 0xFF) < 0xED;
  }

  /**
   * Whether this verifier uses the fast implementation (false: it delegates to the JDK).
   *
   * @return true if native
   */
  public boolean isNative() {
    return jdkKey == null;
  }

  /**
   * Whether a signature checks for a message. Malformed signatures (wrong length, S not below L, R
   * not a point) give false, as the JDK's {@code SignatureException} does at the call sites.
   *
   * @param message the message
   * @param signature the signature
   * @return true if it checks
   * @throws GeneralSecurityException only from the JDK fallback, where the JDK refuses the key
   */
  public boolean verify(byte[] message, byte[] signature) throws GeneralSecurityException {
    PublicKey fallback = jdkKey;
    if (fallback != null) {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(fallback);
      s.update(message);
      try {
        return s.verify(signature);
      } catch (SignatureException e) {
        return false;
      }
    }
    DoubleScalar.Table a = table;
    if (a == null || signature.length != 64 || !Scalar25519.isCanonical(signature, 32)) {
      return false;
    }
    MessageDigest md = Sha512.digest();
    md.update(signature, 0, 32);
    md.update(encoded);
    md.update(message);
    byte[] k = Scalar25519.reduce(md.digest());
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    byte[] check = EdPoint.encode(DoubleScalar.mulSub(s, k, a));
    return Arrays.equals(check, 0, 32, signature, 0, 32);
  }
}
