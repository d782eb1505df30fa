package io.poolforge.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Generates a throw-away CA, a server certificate for localhost/127.0.0.1 and client certificates
 * at test time with the JDK's keytool, and writes them as PEM files (no private key is committed).
 */
final class TestCertificates {
  private static final String PASS = "test-only-pass";

  final Path dir;
  final Path caCert;
  final Path serverChain;
  final Path serverKey;

  TestCertificates(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    this.dir = dir;
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=poolforge-test-ca",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        "ca.p12",
        "-storetype",
        "PKCS12");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    caCert = dir.resolve("ca.pem");
    Path[] server = signed("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    serverChain = server[0];
    serverKey = server[1];
  }

  /**
   * A certificate signed by the CA.
   *
   * @return the chain PEM and the PKCS#8 key PEM
   */
  Path[] signed(String name, String dn, String san)
      throws IOException, GeneralSecurityException, InterruptedException {
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        dn,
        "-validity",
        "2",
        "-keystore",
        name + ".p12",
        "-storetype",
        "PKCS12");
    keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
    List<String> args =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".pem",
                "-rfc",
                "-validity",
                "2"));
    if (san != null) {
      args.add("-ext");
      args.add(san);
    }
    keytool(args.toArray(new String[0]));
    Path chain = dir.resolve(name + "-chain.pem");
    Files.writeString(
        chain, Files.readString(dir.resolve(name + ".pem")) + Files.readString(caCert));
    return new Path[] {chain, exportKey(name)};
  }

  /**
   * A self-signed certificate the CA never signed.
   *
   * @return the certificate PEM and the PKCS#8 key PEM
   */
  Path[] selfSigned(String name)
      throws IOException, GeneralSecurityException, InterruptedException {
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "2",
        "-keystore",
        name + ".p12",
        "-storetype",
        "PKCS12");
    keytool(
        "-exportcert", "-rfc", "-alias", name, "-keystore", name + ".p12", "-file", name + ".pem");
    return new Path[] {dir.resolve(name + ".pem"), exportKey(name)};
  }

  private Path exportKey(String name) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
      ks.load(in, PASS.toCharArray());
    }
    Key key = ks.getKey(name, PASS.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path out = dir.resolve(name + "-key.pem");
    Files.writeString(out, pem);
    return out;
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PASS));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
