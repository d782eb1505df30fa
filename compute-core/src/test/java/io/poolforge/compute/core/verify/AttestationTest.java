package io.poolforge.compute.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.api.verify.AttestationVerifier;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AttestationTest {
  private final MutableClock clock = new MutableClock();
  private final KeyPair vendor = ResultSigner.generateKeyPair();
  private final KeyPair worker = ResultSigner.generateKeyPair();
  private final Bytes workerKey = ResultSigner.encode(worker.getPublic());
  private final Bytes build = Bytes.of(filled(32, (byte) 7));
  private final Ed25519MeasurementVerifier verifier =
      Ed25519MeasurementVerifier.builder()
          .trustVendorKey(ResultSigner.encode(vendor.getPublic()))
          .validity(Duration.ofMinutes(30))
          .clock(clock)
          .build();

  private static byte[] filled(int n, byte b) {
    byte[] a = new byte[n];
    Arrays.fill(a, b);
    return a;
  }

  @Test
  void aVendorSignedMeasurementBoundToTheWorkerKeyVerifies() {
    Attestation a = Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate());
    AttestationVerifier.Result r = verifier.verify(a, workerKey);
    assertThat(r.valid()).isTrue();
    assertThat(r.measurement()).isEqualTo(build);
    assertThat(r.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
    assertThat(r.reason()).isEqualTo("ok");
  }

  @Test
  void evidenceLiftedOntoAnotherWorkerFails() {
    Attestation a = Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate());
    Bytes other = ResultSigner.encode(ResultSigner.generateKeyPair().getPublic());
    assertThat(verifier.verify(a, other).valid()).isFalse();
  }

  @Test
  void anUntrustedVendorATamperedMeasurementOrABadShapeFail() {
    KeyPair rogue = ResultSigner.generateKeyPair();
    Attestation forged = Ed25519MeasurementVerifier.issue(build, workerKey, rogue.getPrivate());
    assertThat(verifier.verify(forged, workerKey).reason()).contains("trusted vendor");
    byte[] ev =
        Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate())
            .evidence()
            .toByteArray();
    ev[0] ^= 1;
    assertThat(
            verifier
                .verify(new Attestation(Ed25519MeasurementVerifier.FORMAT, Bytes.of(ev)), workerKey)
                .valid())
        .isFalse();
    assertThat(
            verifier
                .verify(
                    new Attestation(Ed25519MeasurementVerifier.FORMAT, Bytes.of(new byte[10])),
                    workerKey)
                .reason())
        .contains("10 bytes");
    assertThat(verifier.verify(new Attestation("tdx-quote", Bytes.of(ev)), workerKey).valid())
        .isFalse();
  }

  @Test
  void anAllowListAcceptsOnlyListedBuilds() {
    Ed25519MeasurementVerifier strict =
        Ed25519MeasurementVerifier.builder()
            .trustVendorKey(ResultSigner.encode(vendor.getPublic()))
            .allowMeasurement(build)
            .build();
    Bytes otherBuild = Bytes.of(filled(32, (byte) 8));
    assertThat(
            strict
                .verify(
                    Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate()),
                    workerKey)
                .valid())
        .isTrue();
    assertThat(
            strict
                .verify(
                    Ed25519MeasurementVerifier.issue(otherBuild, workerKey, vendor.getPrivate()),
                    workerKey)
                .reason())
        .contains("allow-list");
  }

  @Test
  void badConfigurationIsRefusedNamingTheField() {
    assertThatThrownBy(() -> Ed25519MeasurementVerifier.builder().build())
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("vendorKeys");
    assertThatThrownBy(
            () -> Ed25519MeasurementVerifier.builder().allowMeasurement(Bytes.of(new byte[31])))
        .hasMessageContaining("measurement")
        .hasMessageContaining("32");
    assertThatThrownBy(() -> AttestationCache.builder().verifier(verifier).verifier(verifier))
        .hasMessageContaining("already has a verifier");
  }

  @Test
  void theCacheServesValidVerdictsUntilTheirTtlAndNeverCachesFailures() {
    AttestationCache cache =
        AttestationCache.builder()
            .verifier(verifier)
            .clock(clock)
            .maxTtl(Duration.ofMinutes(10))
            .build();
    Attestation a = Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate());
    assertThat(cache.verify(a, workerKey).valid()).isTrue();
    assertThat(cache.verify(a, workerKey).valid()).isTrue();
    assertThat(cache.misses()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(11)); // past maxTtl (10 min), before the verdict's 30 min
    assertThat(cache.verify(a, workerKey).valid()).isTrue();
    assertThat(cache.misses()).isEqualTo(2);

    Bytes other = ResultSigner.encode(ResultSigner.generateKeyPair().getPublic());
    assertThat(cache.verify(a, other).valid()).isFalse();
    assertThat(cache.verify(a, other).valid()).isFalse();
    assertThat(cache.misses()).isEqualTo(4);

    assertThat(cache.verify(new Attestation("tdx-quote", Bytes.EMPTY), workerKey).reason())
        .contains("no attestation verifier");
  }

  @Test
  void attestedWorkersStartWithHigherCredibility() {
    CredibilityTracker tracker = CredibilityTracker.builder().build();
    io.poolforge.compute.api.WorkerId id = new io.poolforge.compute.api.WorkerId("w1");
    double before = tracker.credibility(id, "k");
    if (verifier
        .verify(Ed25519MeasurementVerifier.issue(build, workerKey, vendor.getPrivate()), workerKey)
        .valid()) {
      tracker.recordAttested(id);
    }
    assertThat(tracker.credibility(id, "k")).isGreaterThan(before);

    // The coordinator tells the reputation of registrations; only attested ones start higher.
    io.poolforge.compute.api.Capabilities caps =
        new io.poolforge.compute.api.Capabilities(
            java.util.Set.of("k"),
            java.util.Set.of("cpu"),
            java.util.List.of(),
            0,
            1,
            java.util.Set.of(),
            false);
    io.poolforge.compute.api.WorkerInfo plain =
        new io.poolforge.compute.api.WorkerInfo(
            new io.poolforge.compute.api.WorkerId("w2"), "o", "0xabc", workerKey, caps);
    io.poolforge.compute.api.WorkerInfo attested =
        new io.poolforge.compute.api.WorkerInfo(
            new io.poolforge.compute.api.WorkerId("w3"),
            "o",
            "0xabc",
            workerKey,
            caps.withAttested(true));
    tracker.workerRegistered(plain);
    tracker.workerRegistered(attested);
    assertThat(tracker.credibility(plain.id(), "k")).isEqualTo(before);
    assertThat(tracker.credibility(attested.id(), "k")).isGreaterThan(before);
  }
}
