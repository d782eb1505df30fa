package io.poolforge.transport.grpc;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues a throw-away CA, a server certificate for localhost/127.0.0.1 and client certificates at
 * test time, and writes them as PEM files under a temporary directory. No private key is committed.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  final Path dir;
  final Path caCert;
  final Path serverChain;
  final Path serverKey;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  TestCertificates(Path dir) throws IOException, GeneralSecurityException {
    this.dir = dir;
    caKeys = keyPair();
    X500Name caName = new X500Name("CN=poolforge-test-ca");
    ca = issue(caName, caName, caKeys.getPublic(), caKeys.getPrivate(), true, false);
    caCert = write("ca.pem", pem("CERTIFICATE", ca.getEncoded()));
    Path[] server = signed("server", "CN=localhost", true);
    serverChain = server[0];
    serverKey = server[1];
  }

  /**
   * A certificate signed by the CA.
   *
   * @param name the file name stem
   * @param dn the subject
   * @param serverNames whether to add localhost / 127.0.0.1 as subject alternative names
   * @return the chain PEM and the PKCS#8 key PEM
   */
  Path[] signed(String name, String dn, boolean serverNames)
      throws IOException, GeneralSecurityException {
    KeyPair keys = keyPair();
    X509Certificate cert =
        issue(
            new X500Name(dn),
            new X500Name(ca.getSubjectX500Principal().getName()),
            keys.getPublic(),
            caKeys.getPrivate(),
            false,
            serverNames);
    Path chain =
        write(
            name + "-chain.pem",
            pem("CERTIFICATE", cert.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
    return new Path[] {chain, writeKey(name, keys.getPrivate())};
  }

  /**
   * A self-signed certificate the CA never signed.
   *
   * @param name the file name stem
   * @return the certificate PEM and the PKCS#8 key PEM
   */
  Path[] selfSigned(String name) throws IOException, GeneralSecurityException {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509Certificate cert = issue(subject, subject, keys.getPublic(), keys.getPrivate(), true, true);
    return new Path[] {
      write(name + ".pem", pem("CERTIFICATE", cert.getEncoded())), writeKey(name, keys.getPrivate())
    };
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate issue(
      X500Name subject,
      X500Name issuer,
      java.security.PublicKey key,
      PrivateKey signer,
      boolean isCa,
      boolean serverNames)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            subject,
            key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (serverNames) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private Path writeKey(String name, PrivateKey key) throws IOException {
    return write(name + "-key.pem", pem("PRIVATE KEY", key.getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private Path write(String file, String content) throws IOException {
    Path p = dir.resolve(file);
    Files.writeString(p, content);
    return p;
  }
}
