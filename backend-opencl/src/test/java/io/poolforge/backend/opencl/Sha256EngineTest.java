package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Sha256EngineTest {
  private static Sha256Engine engine;

  @BeforeAll
  static void start() {
    engine = new Sha256Engine(TestDevices.best());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void knownAnswers() throws Exception {
    byte[][] d = engine.digest(List.of(new byte[0], "abc".getBytes("US-ASCII")));
    assertThat(hex(d[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(hex(d[1]))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void matchesMessageDigestAcrossPaddingBoundaries() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> messages = new ArrayList<>();
    for (int len : new int[] {1, 3, 4, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000}) {
      messages.add(bytes(random, len));
    }
    for (int i = 0; i < 300; i++) {
      messages.add(bytes(random, random.nextInt(0, 300)));
    }
    assertSameAsJdk(messages);
    // A second batch reuses the kernel and its (now larger) buffers.
    assertSameAsJdk(messages.subList(0, 20));
  }

  @Test
  void splitsBatchesLargerThanOneLaunch() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    List<byte[]> messages = new ArrayList<>();
    // 70 messages of 4 KiB... plus enough small ones to exceed the per-launch message limit.
    for (int i = 0; i < Sha256Engine.MAX_MESSAGES_PER_LAUNCH + 5; i++) {
      messages.add(bytes(random, i % 97));
    }
    assertSameAsJdk(messages);
  }

  private static void assertSameAsJdk(List<byte[]> messages) throws Exception {
    byte[][] got = engine.digest(messages);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < messages.size(); i++) {
      assertThat(got[i])
          .as("message %d of %d bytes", i, messages.get(i).length)
          .isEqualTo(md.digest(messages.get(i)));
    }
  }

  static byte[] bytes(SplittableRandom random, int len) {
    byte[] b = new byte[len];
    random.nextBytes(b);
    return b;
  }

  static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
