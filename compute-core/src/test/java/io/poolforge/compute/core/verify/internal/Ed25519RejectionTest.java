package io.poolforge.compute.core.verify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed, altered and adversarial signatures and keys: for every case our verdict (key refused,
 * signature rejected, accepted) must be the JDK's. Each test also checks that its cases reach the
 * verdicts it is about, so a test cannot pass by never exercising them.
 */
class Ed25519RejectionTest {
  private static final BigInteger L = RefCurve.L;
  private static final BigInteger P = RefCurve.P;
  private static final byte[] SEED =
      HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final byte[] MESSAGE = "batch root: 40 bytes of a Merkle message".getBytes();

  private static byte[] publicKey;
  private static byte[] signature;

  @BeforeAll
  static void sign() throws Exception {
    Ed25519Signer signer = Ed25519Signer.fromSeed(SEED);
    publicKey = signer.publicKey();
    signature = signer.sign(MESSAGE);
  }

  private final Map<Jdk.Verdict, Integer> seen = new EnumMap<>(Jdk.Verdict.class);

  private void same(byte[] key, byte[] message, byte[] sig) throws GeneralSecurityException {
    Jdk.Verdict jdk = Jdk.verify(key, message, sig);
    Jdk.Verdict ours = Jdk.ours(key, message, sig);
    assertThat(ours)
        .as("key %s sig %s", HexFormat.of().formatHex(key), HexFormat.of().formatHex(sig))
        .isEqualTo(jdk);
    // through the JDK key, as the call sites build it: a key the JDK refuses goes to the JDK
    assertThat(Ed25519Verifier.of(Jdk.publicKey(key)).isNative())
        .isEqualTo(jdk != Jdk.Verdict.KEY_REFUSED);
    seen.merge(jdk, 1, Integer::sum);
  }

  private static byte[] le(BigInteger v) {
    return Scalar25519.toLittleEndian(v);
  }

  private static byte[] sig(byte[] r, byte[] s) {
    byte[] out = Arrays.copyOf(r, 64);
    System.arraycopy(s, 0, out, 32, 32);
    return out;
  }

  private static BigInteger sValue(byte[] sig) {
    return Scalar25519.fromLittleEndian(sig, 32, 32);
  }

  @Test
  void everyFlippedBitOfRSKeyAndMessageIsJudgedAsTheJdkDoes() throws Exception {
    same(publicKey, MESSAGE, signature);
    for (int bit = 0; bit < 512; bit++) {
      byte[] sig = signature.clone();
      sig[bit >> 3] ^= (byte) (1 << (bit & 7));
      same(publicKey, MESSAGE, sig);
    }
    for (int bit = 0; bit < 256; bit++) {
      byte[] key = publicKey.clone();
      key[bit >> 3] ^= (byte) (1 << (bit & 7));
      same(key, MESSAGE, signature);
    }
    for (int bit = 0; bit < MESSAGE.length * 8; bit += 3) {
      byte[] m = MESSAGE.clone();
      m[bit >> 3] ^= (byte) (1 << (bit & 7));
      same(publicKey, m, signature);
    }
    assertThat(seen).containsKeys(Jdk.Verdict.ACCEPTED, Jdk.Verdict.REJECTED);
    assertThat(seen).containsKey(Jdk.Verdict.KEY_REFUSED);
  }

  @Test
  void scalarsAtAndAboveLAreRejected() throws Exception {
    byte[] r = Arrays.copyOf(signature, 32);
    BigInteger s = sValue(signature);
    same(publicKey, MESSAGE, sig(r, le(s.add(L)))); // malleability: the same S mod L
    same(publicKey, MESSAGE, sig(r, le(s.add(L.shiftLeft(1)))));
    same(publicKey, MESSAGE, sig(r, le(L)));
    same(publicKey, MESSAGE, sig(r, le(L.subtract(BigInteger.ONE))));
    same(publicKey, MESSAGE, sig(r, le(L.add(BigInteger.ONE))));
    same(publicKey, MESSAGE, sig(r, le(s.setBit(253))));
    same(publicKey, MESSAGE, sig(r, le(s.setBit(254))));
    same(publicKey, MESSAGE, sig(r, le(s.setBit(255))));
    same(publicKey, MESSAGE, sig(r, le(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))));
    assertThat(seen).containsOnlyKeys(Jdk.Verdict.REJECTED);
  }

  @Test
  void wrongLengthsAreRejected() throws Exception {
    for (int n : new int[] {0, 1, 32, 63, 65, 128}) {
      byte[] sig = Arrays.copyOf(signature, n);
      same(publicKey, MESSAGE, sig);
    }
    assertThat(seen).containsOnlyKeys(Jdk.Verdict.REJECTED);
  }

  @Test
  void nonCanonicalEncodingsOfRAndAAreRefused() throws Exception {
    List<byte[]> encodings = new ArrayList<>();
    for (int k = 0; k < 19; k++) {
      // y = p + k, the second spelling of k (k = 0, 1 are the identity's and (0, 1)'s y)
      for (int sign = 0; sign < 2; sign++) {
        byte[] e = le(P.add(BigInteger.valueOf(k)));
        e[31] |= (byte) (sign << 7);
        encodings.add(e);
      }
    }
    for (byte[] e : encodings) {
      same(e, MESSAGE, signature); // as the key
      same(publicKey, MESSAGE, sig(e, Arrays.copyOfRange(signature, 32, 64))); // as R
      same(publicKey, MESSAGE, sig(e, new byte[32]));
    }
    assertThat(seen).containsOnlyKeys(Jdk.Verdict.KEY_REFUSED, Jdk.Verdict.REJECTED);
    assertThat(seen.get(Jdk.Verdict.KEY_REFUSED)).isEqualTo(encodings.size());
  }

  @Test
  void xZeroWithTheSignBitIsRefused() throws Exception {
    // y = 1 and y = -1 are the points with x = 0; with the sign bit set they do not decode
    for (BigInteger y : new BigInteger[] {BigInteger.ONE, P.subtract(BigInteger.ONE)}) {
      byte[] e = le(y);
      e[31] |= (byte) 0x80;
      same(e, MESSAGE, signature);
      same(publicKey, MESSAGE, sig(e, Arrays.copyOfRange(signature, 32, 64)));
      same(e, MESSAGE, sig(e, new byte[32]));
    }
    assertThat(seen.get(Jdk.Verdict.KEY_REFUSED)).isEqualTo(4); // two as the key, per y
  }

  @Test
  void smallOrderKeysAndRAreJudgedAsTheJdkDoes() throws Exception {
    List<RefCurve.Point> torsion = Torsion.points();
    byte[] zeroS = new byte[32];
    Random random = new Random(8);
    for (RefCurve.Point t : torsion) {
      byte[] key = RefCurve.encode(t);
      for (RefCurve.Point u : torsion) {
        byte[] r = RefCurve.encode(u);
        for (int m = 0; m < 4; m++) {
          byte[] message = new byte[] {(byte) m};
          same(key, message, sig(r, zeroS)); // accepted exactly when [k]A = -R
          byte[] s = new byte[32];
          random.nextBytes(s);
          s[31] &= 0x0F;
          same(key, message, sig(r, s));
        }
      }
      same(key, MESSAGE, signature);
    }
    // the honest key with a small-order part added to R or the key
    for (RefCurve.Point t : torsion.subList(1, 8)) {
      RefCurve.Point a = RefCurve.decode(publicKey);
      RefCurve.Point r = RefCurve.decode(Arrays.copyOf(signature, 32));
      same(RefCurve.encode(RefCurve.add(a, t)), MESSAGE, signature);
      same(
          publicKey,
          MESSAGE,
          sig(RefCurve.encode(RefCurve.add(r, t)), Arrays.copyOfRange(signature, 32, 64)));
    }
    assertThat(seen).containsKeys(Jdk.Verdict.ACCEPTED, Jdk.Verdict.REJECTED);
  }

  @Test
  void mixedOrderKeysVerifyCofactorlessLikeTheJdk() throws Exception {
    // A = [a]B + T: an honest-looking signature checks in the cofactorless equation only when
    // [k]T is the identity, i.e. for some messages and not others
    BigInteger a = new BigInteger(1, SEED).mod(L);
    BigInteger r0 = BigInteger.valueOf(987654321);
    for (int ti = 1; ti < 8; ti++) {
      RefCurve.Point t = Torsion.points().get(ti);
      RefCurve.Point bigA = RefCurve.add(RefCurve.mul(a, RefCurve.B), t);
      byte[] key = RefCurve.encode(bigA);
      RefCurve.Point bigR = RefCurve.mul(r0, RefCurve.B);
      byte[] encR = RefCurve.encode(bigR);
      for (int m = 0; m < 12; m++) {
        byte[] message = {(byte) m, (byte) ti};
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-512");
        md.update(encR);
        md.update(key);
        md.update(message);
        BigInteger k = Scalar25519.fromLittleEndian(md.digest(), 0, 64).mod(L);
        BigInteger s = r0.add(k.multiply(a)).mod(L);
        same(key, message, sig(encR, le(s)));
      }
    }
    assertThat(seen).containsKeys(Jdk.Verdict.ACCEPTED, Jdk.Verdict.REJECTED);
  }

  @Test
  void allZeroAndAllOnesKeysAndSignatures() throws Exception {
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xFF);
    byte[] zeroSig = new byte[64];
    byte[] onesSig = new byte[64];
    Arrays.fill(onesSig, (byte) 0xFF);
    for (byte[] key : new byte[][] {zeros, ones, publicKey}) {
      for (byte[] sig : new byte[][] {zeroSig, onesSig, signature}) {
        same(key, MESSAGE, sig);
        same(key, new byte[0], sig);
      }
    }
    assertThat(seen).containsKeys(Jdk.Verdict.KEY_REFUSED, Jdk.Verdict.REJECTED);
  }

  @Test
  void randomKeysAndRValuesAreJudgedAsTheJdkDoes() throws Exception {
    Random random = new Random(99);
    for (int i = 0; i < 300; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      same(key, MESSAGE, signature);
      byte[] sig = signature.clone();
      random.nextBytes(sig);
      sig[63] &= 0x0F;
      same(publicKey, MESSAGE, sig);
    }
    assertThat(seen).containsKeys(Jdk.Verdict.KEY_REFUSED, Jdk.Verdict.REJECTED);
  }
}
