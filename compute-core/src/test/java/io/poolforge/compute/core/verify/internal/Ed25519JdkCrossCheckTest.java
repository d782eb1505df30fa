package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized cross-check with the JDK (fixed seed): our signatures are the JDK's byte for byte, the
 * JDK accepts ours, we accept the JDK's.
 */
class Ed25519JdkCrossCheckTest {
  private static final int CASES = 2000;

  @Test
  void signaturesAreTheJdksByteForByteAndEachSideAcceptsTheOther() throws Exception {
    Random random = new Random(20261123L);
    byte[] seed = new byte[32];
    Ed25519Signer signer = null;
    Ed25519Verifier verifier = null;
    byte[] publicKey = null;
    Signature jdkSigner = Signature.getInstance("Ed25519");
    Signature jdkVerifier = Signature.getInstance("Ed25519");
    for (int i = 0; i < CASES; i++) {
      if (i % 4 == 0) {
        random.nextBytes(seed);
        signer = Ed25519Signer.of(Jdk.privateKey(seed));
        assertThat(signer.isNative()).isTrue();
        publicKey = signer.publicKey();
        verifier = Ed25519Verifier.of(Jdk.publicKey(publicKey));
        assertThat(verifier.isNative()).isTrue();
        jdkSigner.initSign(Jdk.privateKey(seed));
        jdkVerifier.initVerify(Jdk.publicKey(publicKey));
      }
      int length = i < 64 ? i : random.nextInt(2001);
      byte[] message = new byte[length];
      random.nextBytes(message);
      byte[] ours = signer.sign(message);
      jdkSigner.update(message);
      byte[] theirs = jdkSigner.sign();
      assertThat(ours).as("case %d", i).isEqualTo(theirs);
      jdkVerifier.update(message);
      assertThat(jdkVerifier.verify(ours)).as("the JDK accepts case %d", i).isTrue();
      assertThat(verifier.verify(message, theirs)).isTrue();
    }
  }

  @Test
  void keysFromTheJdkGeneratorWork() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      KeyPair pair = generator.generateKeyPair();
      byte[] message = new byte[40];
      random.nextBytes(message);
      Ed25519Signer signer = Ed25519Signer.of(pair.getPrivate());
      assertThat(signer.isNative()).isTrue();
      byte[] ours = signer.sign(message);
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(message);
      assertThat(ours).isEqualTo(s.sign());
      Ed25519Verifier verifier = Ed25519Verifier.of(pair.getPublic());
      assertThat(verifier.isNative()).isTrue();
      assertThat(verifier.verify(message, ours)).isTrue();
      message[0] ^= 1;
      assertThat(verifier.verify(message, ours)).isFalse();
    }
  }

  @Test
  void keysOfOtherAlgorithmsFallBackToTheJdk() throws Exception {
    // an Ed448 key is an EdEC key but not Ed25519: the JDK handles it (and refuses it for
    // "Ed25519" signatures, as it did before)
    KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
    Ed25519Signer signer = Ed25519Signer.of(ed448.getPrivate());
    assertThat(signer.isNative()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> signer.sign(new byte[1]))
        .isInstanceOf(java.security.InvalidKeyException.class);
    Ed25519Verifier verifier = Ed25519Verifier.of(ed448.getPublic());
    assertThat(verifier.isNative()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> verifier.verify(new byte[1], new byte[64]))
        .isInstanceOf(java.security.InvalidKeyException.class);
  }
}
