package io.poolforge.compute.core.verify.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** The JDK's Ed25519, the reference every test compares with. */
final class Jdk {
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  /** The JDK's verdict on a signature: the key refused, rejected, accepted. */
  enum Verdict {
    KEY_REFUSED,
    REJECTED,
    ACCEPTED
  }

  private Jdk() {}

  static PrivateKey privateKey(byte[] seed) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519")
        .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
  }

  /** A JDK public key for any 32 bytes (the key factory does not check the point). */
  static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
    byte[] x509 = new byte[X509_PREFIX.length + 32];
    System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
    System.arraycopy(encoded, 0, x509, X509_PREFIX.length, 32);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
  }

  static byte[] sign(byte[] seed, byte[] message) throws GeneralSecurityException {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(privateKey(seed));
    s.update(message);
    return s.sign();
  }

  static Verdict verify(byte[] publicKey, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance("Ed25519");
    try {
      s.initVerify(publicKey(publicKey));
    } catch (InvalidKeyException e) {
      return Verdict.KEY_REFUSED;
    }
    s.update(message);
    try {
      return s.verify(signature) ? Verdict.ACCEPTED : Verdict.REJECTED;
    } catch (SignatureException e) {
      return Verdict.REJECTED;
    }
  }

  /** Our verdict in the same terms, through the native verifier only. */
  static Verdict ours(byte[] publicKey, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Ed25519Verifier v = Ed25519Verifier.fromEncoded(publicKey);
    if (v == null) {
      return Verdict.KEY_REFUSED;
    }
    return v.verify(message, signature) ? Verdict.ACCEPTED : Verdict.REJECTED;
  }
}
