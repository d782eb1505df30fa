package io.poolforge.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PowEngineTest {
  private static PowEngine engine;

  @BeforeAll
  static void start() {
    engine = new PowEngine(TestDevices.best());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void matchesJdkDoubleSha256Search() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 3; round++) {
      byte[] header = Sha256EngineTest.bytes(random, 80);
      long start = random.nextLong(0, 1L << 32) - 40_000;
      start = Math.max(0, start);
      // About one hash in 4096 is below this target: top 12 bits zero.
      byte[] target = new byte[32];
      java.util.Arrays.fill(target, (byte) 0xff);
      target[31] = 0x00;
      target[30] = 0x0f;
      PowSearch job = new PowSearch(header, start, 40_000, target, false);
      PowOutcome got = engine.search(job, () -> false);
      PowOutcome want = reference(job);
      assertThat(got.foundNonce()).isEqualTo(want.foundNonce());
      assertThat(got.bestNonce()).isEqualTo(want.bestNonce());
      assertThat(got.bestHash()).isEqualTo(want.bestHash());
      assertThat(got.scanned()).isEqualTo(40_000);
    }
  }

  @Test
  void reachesTheTopOfTheNonceSpaceAndReportsNoHit() throws Exception {
    byte[] header = Sha256EngineTest.bytes(new SplittableRandom(5), 80);
    byte[] target = new byte[32]; // only an all-zero hash would do
    PowSearch job = new PowSearch(header, (1L << 32) - 3000, 3000, target, false);
    PowOutcome got = engine.search(job, () -> false);
    PowOutcome want = reference(job);
    assertThat(got.foundNonce()).isEqualTo(-1);
    assertThat(got.bestNonce()).isEqualTo(want.bestNonce());
    assertThat(got.bestHash()).isEqualTo(want.bestHash());
  }

  @Test
  void stopAtFirstEndsEarly() throws Exception {
    byte[] header = Sha256EngineTest.bytes(new SplittableRandom(9), 80);
    byte[] target = new byte[32];
    java.util.Arrays.fill(target, (byte) 0xff);
    target[31] = 0x7f; // half of all hashes
    long count = 3 * engine.noncesPerLaunch();
    PowOutcome got = engine.search(new PowSearch(header, 0, count, target, true), () -> false);
    assertThat(got.scanned()).isEqualTo(engine.noncesPerLaunch());
    PowOutcome want = reference(new PowSearch(header, 0, 64, target, true));
    assertThat(got.foundNonce()).isEqualTo(want.foundNonce());
  }

  @Test
  void cancellationStopsBetweenLaunches() {
    byte[] header = new byte[80];
    PowSearch job = new PowSearch(header, 0, 1L << 32, new byte[32], false);
    assertThatThrownBy(() -> engine.search(job, () -> true))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }

  /** The search done plainly on the host with the JDK's SHA-256. */
  static PowOutcome reference(PowSearch job) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] h = job.header().clone();
    long found = -1;
    long bestNonce = -1;
    byte[] best = null;
    long scanned = 0;
    for (long n = job.nonceStart(); n < job.nonceStart() + job.nonceCount(); n++) {
      h[76] = (byte) n;
      h[77] = (byte) (n >>> 8);
      h[78] = (byte) (n >>> 16);
      h[79] = (byte) (n >>> 24);
      byte[] hash = md.digest(md.digest(h));
      scanned++;
      if (found < 0 && compareLe(hash, job.target()) <= 0) {
        found = n;
      }
      if (best == null || compareLe(hash, best) < 0) {
        best = hash;
        bestNonce = n;
      }
      if (found >= 0 && job.stopAtFirst()) {
        break;
      }
    }
    return new PowOutcome(found, bestNonce, best, scanned);
  }

  static int compareLe(byte[] a, byte[] b) {
    for (int i = 31; i >= 0; i--) {
      int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
