package io.poolforge.examples.cli;

import io.poolforge.compute.api.PoolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker's Ed25519 signing key in one PEM file (PKCS#8 private key and X.509 public key), created
 * on first use with owner-only permissions.
 *
 * <p>Stateless and thread-safe; blocks on file I/O.
 *
 * @since 0.1.0
 */
public final class WorkerKeys {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

  private WorkerKeys() {}

  /**
   * Loads the key pair at {@code file}, or generates and writes one if the file does not exist.
   *
   * @param file the key file
   * @return the key pair
   * @throws PoolException INVALID_ARGUMENT naming "--key" if the file cannot be read as a key
   */
  public static KeyPair loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(
            file,
            pem("PRIVATE KEY", kp.getPrivate().getEncoded())
                + pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system
        }
        return kp;
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      byte[] priv = null;
      byte[] pub = null;
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        if (m.group(1).equals("PRIVATE KEY")) {
          priv = der;
        } else if (m.group(1).equals("PUBLIC KEY")) {
          pub = der;
        }
      }
      if (priv == null || pub == null) {
        throw PoolException.invalidArgument(
            "--key", file + " must hold a PRIVATE KEY and a PUBLIC KEY block");
      }
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      return new KeyPair(
          kf.generatePublic(new X509EncodedKeySpec(pub)),
          kf.generatePrivate(new PKCS8EncodedKeySpec(priv)));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw PoolException.invalidArgument("--key", "cannot use " + file + ": " + e.getMessage());
    }
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
}
