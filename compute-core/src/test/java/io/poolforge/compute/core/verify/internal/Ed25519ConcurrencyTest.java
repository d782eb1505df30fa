package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One signer and one verifier shared by several threads; keys without a readable seed. */
class Ed25519ConcurrencyTest {
  @Test
  void sharedSignerAndVerifierGiveTheSameAnswersOnEveryThread() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Ed25519Signer signer = Ed25519Signer.of(keys.getPrivate());
    Ed25519Verifier verifier = Ed25519Verifier.of(keys.getPublic());
    int messages = 64;
    byte[][] expected = new byte[messages][];
    for (int i = 0; i < messages; i++) {
      java.security.Signature s = java.security.Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(new byte[] {(byte) i, 1, 2, 3});
      expected[i] = s.sign();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(
            pool.submit(
                () -> {
                  for (int n = 0; n < messages; n++) {
                    int i = (n + offset * 16) % messages;
                    byte[] message = {(byte) i, 1, 2, 3};
                    byte[] sig = signer.sign(message);
                    if (!java.util.Arrays.equals(sig, expected[i])
                        || !verifier.verify(message, sig)
                        || verifier.verify(new byte[] {(byte) i, 1, 2, 4}, sig)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyWithoutItsSeedGoesToTheJdk() {
    EdECPrivateKey hardware =
        new EdECPrivateKey() {
          @Override
          public Optional<byte[]> getBytes() {
            return Optional.empty();
          }

          @Override
          public NamedParameterSpec getParams() {
            return NamedParameterSpec.ED25519;
          }

          @Override
          public String getAlgorithm() {
            return "Ed25519";
          }

          @Override
          public String getFormat() {
            return "PKCS#8";
          }

          @Override
          public byte[] getEncoded() {
            return new byte[0];
          }
        };
    assertThat(Ed25519Signer.of(hardware).isNative()).isFalse();
  }
}
