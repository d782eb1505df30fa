package io.poolforge.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the kernels on a real GPU and compares with the JDK; skips where there is none. */
class CudaDeviceTest {
  private static CudaDevice gpu;

  @BeforeAll
  static void open() {
    CudaProbe.Result probe = CudaProbe.probe();
    assumeTrue(probe.available(), probe.reason());
    gpu = new CudaDevice(0);
  }

  @AfterAll
  static void close() {
    if (gpu != null) {
      gpu.close();
    }
  }

  @Test
  void describesItself() {
    assertThat(gpu.info().gpu()).isTrue();
    assertThat(gpu.info().memoryBytes()).isPositive();
    assertThat(gpu.info().computeUnits()).isPositive();
  }

  @Test
  void sha256BatchMatchesTheJdk() throws Exception {
    Random rnd = new Random(1);
    List<byte[]> msgs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      byte[] m = new byte[rnd.nextInt(300)];
      rnd.nextBytes(m);
      msgs.add(m);
    }
    byte[][] got = gpu.sha256(msgs);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < msgs.size(); i++) {
      assertThat(got[i]).isEqualTo(md.digest(msgs.get(i)));
    }
    // Buffers are reused: a second, smaller batch must not see stale data.
    assertThat(gpu.sha256(List.of(new byte[0]))[0]).isEqualTo(md.digest(new byte[0]));
  }

  @Test
  void powFindsTheLowestWinnerAndTheBestHash() throws Exception {
    Random rnd = new Random(3);
    byte[] header = new byte[80];
    rnd.nextBytes(header);
    long start = 1_000;
    long count = 20_000;
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[][] keys = new byte[(int) count][];
    for (int i = 0; i < count; i++) {
      long nonce = start + i;
      header[76] = (byte) nonce;
      header[77] = (byte) (nonce >>> 8);
      header[78] = (byte) (nonce >>> 16);
      header[79] = (byte) (nonce >>> 24);
      byte[] d = md.digest(md.digest(header));
      byte[] key = new byte[32];
      for (int k = 0; k < 32; k++) {
        key[k] = d[31 - k];
      }
      keys[i] = key;
    }
    int bestIdx = 0;
    for (int i = 1; i < count; i++) {
      if (Arrays.compareUnsigned(keys[i], keys[bestIdx]) < 0) {
        bestIdx = i;
      }
    }
    // A target no hash meets: the search reports no winner and the exact best hash.
    CudaDevice.PowSearch none = gpu.pow(header, start, count, new int[8]);
    assertThat(none.winner()).isEqualTo(-1);
    assertThat(none.bestNonce()).isEqualTo(start + bestIdx);
    assertThat(none.bestKey()).isEqualTo(keys[bestIdx]);
    // A target met by a few hashes: the lowest such nonce wins.
    int[] target = new int[8];
    target[0] = 0x00ffffff;
    Arrays.fill(target, 1, 8, -1);
    long expected = -1;
    for (int i = 0; i < count; i++) {
      if ((keys[i][0] & 0xff) == 0) {
        expected = start + i;
        break;
      }
    }
    assumeTrue(expected >= 0, "no hash with a zero top byte in this range");
    assertThat(gpu.pow(header, start, count, target).winner()).isEqualTo(expected);
  }

  @Test
  void modexpMatchesBigInteger() {
    Random rnd = new Random(5);
    for (int bits : new int[] {1024, 2048, 4096}) {
      int n = 64;
      BigInteger[] b = new BigInteger[n];
      BigInteger[] e = new BigInteger[n];
      BigInteger[] m = new BigInteger[n];
      for (int i = 0; i < n; i++) {
        m[i] = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
        b[i] = new BigInteger(bits, rnd);
        e[i] = new BigInteger(bits, rnd);
      }
      BigInteger[] got = gpu.modexp(b, e, m, bits / 32);
      for (int i = 0; i < n; i++) {
        assertThat(got[i]).as("%d bits, #%d", bits, i).isEqualTo(b[i].modPow(e[i], m[i]));
      }
    }
  }
}
