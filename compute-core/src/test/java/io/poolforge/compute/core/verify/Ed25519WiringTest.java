package io.poolforge.compute.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The call sites sign and verify with the fast Ed25519 and stay interchangeable with the JDK: what
 * {@link ResultSigner} signs is the JDK's signature, and the verifiers accept the JDK's signatures.
 */
class Ed25519WiringTest {
  @Test
  void resultSignerSignsExactlyAsTheJdkAndBothVerifiersAgree() throws Exception {
    KeyPair keys = ResultSigner.generateKeyPair();
    ResultSigner signer =
        ResultSigner.of(new io.poolforge.compute.api.WorkerId("w"), keys.getPrivate());
    Random random = new Random(3);
    for (int i = 0; i < 40; i++) {
      byte[] content = new byte[i * 13];
      random.nextBytes(content);
      Signature jdk = Signature.getInstance("Ed25519");
      jdk.initSign(keys.getPrivate());
      jdk.update(content);
      byte[] expected = jdk.sign();
      assertThat(signer.signBytes(content).toByteArray()).isEqualTo(expected);
      assertThat(ResultAuthenticator.verify(keys.getPublic(), content, Bytes.wrap(expected)))
          .isTrue();
      expected[i % 64] ^= 4;
      assertThat(ResultAuthenticator.verify(keys.getPublic(), content, Bytes.wrap(expected)))
          .isFalse();
    }
  }
}
