package io.poolforge.benchmarks.verify;

import io.poolforge.compute.core.verify.internal.Ed25519Signer;
import io.poolforge.compute.core.verify.internal.Ed25519Verifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ed25519 sign and verify of a 40-byte message (the size of a batch-root message) with the JDK's
 * {@code Signature} ({@code impl=jdk}: one initialized instance reused, its best case) and with
 * PoolForge's own implementation ({@code impl=poolforge}: {@link Ed25519Signer}, {@link
 * Ed25519Verifier}, prepared once per key as the call sites hold them). Same key, message and
 * signature for both.
 *
 * <p>Recorded with {@code java -jar benchmarks/target/benchmarks.jar Ed25519Benchmark -f 1 -wi 3 -w
 * 2s -i 5 -r 2s -rf json -rff benchmarks/results/ed25519.json}.
 *
 * <p>Run by JMH; not thread-safe.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Ed25519Benchmark {
  @Param({"jdk", "poolforge"})
  String impl;

  private final byte[] message = new byte[40];
  private byte[] signature;
  private Signature jdkSigner;
  private Signature jdkVerifier;
  private Ed25519Signer signer;
  private Ed25519Verifier verifier;

  @Setup
  public void prepare() throws GeneralSecurityException {
    new Random(40).nextBytes(message);
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    jdkSigner = Signature.getInstance("Ed25519");
    jdkSigner.initSign(keys.getPrivate());
    jdkVerifier = Signature.getInstance("Ed25519");
    jdkVerifier.initVerify(keys.getPublic());
    signer = Ed25519Signer.of(keys.getPrivate());
    verifier = Ed25519Verifier.of(keys.getPublic());
    if (!signer.isNative() || !verifier.isNative()) {
      throw new IllegalStateException("the JDK key should take the fast path");
    }
    signature = signer.sign(message);
    jdkSigner.update(message);
    if (!java.util.Arrays.equals(signature, jdkSigner.sign())) {
      throw new IllegalStateException("signatures differ from the JDK's");
    }
  }

  /** One signature. */
  @Benchmark
  public byte[] sign() throws GeneralSecurityException {
    if (impl.equals("jdk")) {
      jdkSigner.update(message);
      return jdkSigner.sign();
    }
    return signer.sign(message);
  }

  /** One verification (of a valid signature). */
  @Benchmark
  public boolean verify() throws GeneralSecurityException {
    boolean ok;
    if (impl.equals("jdk")) {
      jdkVerifier.update(message);
      ok = jdkVerifier.verify(signature);
    } else {
      ok = verifier.verify(message, signature);
    }
    if (!ok) {
      throw new IllegalStateException("a valid signature did not verify");
    }
    return ok;
  }
}
