package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResultAuthenticatorTest {
  private final MutableClock clock = new MutableClock();
  private final ResultAuthenticator auth =
      ResultAuthenticator.builder().clock(clock).replayWindow(Duration.ofHours(1)).build();
  private final KeyPair aliceKeys = ResultSigner.generateKeyPair();
  private final KeyPair bobKeys = ResultSigner.generateKeyPair();
  private final ResultSigner alice = ResultSigner.of(w("alice"), aliceKeys.getPrivate());
  private final ResultSigner bob = ResultSigner.of(w("bob"), bobKeys.getPrivate());
  private final Leases leases = new Leases();
  private final LeaseRef lease = new LeaseRef(new TaskId(9), 2);

  /** The scheduler's lease table, reduced to a map for the test. */
  static final class Leases implements LeaseLookup {
    final Map<LeaseRef, WorkerId> held = new HashMap<>();

    @Override
    public boolean isOpen(TaskId task) {
      return held.keySet().stream().anyMatch(l -> l.task().equals(task));
    }

    @Override
    public @Nullable WorkerId holder(LeaseRef lease) {
      return held.get(lease);
    }
  }

  static WorkerInfo info(String id, KeyPair keys) {
    return new WorkerInfo(
        w(id),
        "owner-" + id,
        "0xabc",
        ResultSigner.encode(keys.getPublic()),
        new Capabilities(Set.of("k"), Set.of("cpu"), List.of(), 0, 1, Set.of(), false));
  }

  @BeforeEach
  void register() {
    auth.register(info("alice", aliceKeys));
    auth.register(info("bob", bobKeys));
    leases.held.put(lease, w("alice"));
  }

  private WorkResult aliceResult() {
    return alice.sign(lease, "cpu", Bytes.of(new byte[] {1, 2, 3}), null, 10);
  }

  private static ErrorCode code(Throwable t) {
    return ((PoolException) t).code();
  }

  @Test
  void aSignedLeasedResultIsAcceptedOnce() {
    WorkResult r = aliceResult();
    assertThat(ResultAuthenticator.signatureChecks(r, ResultSigner.encode(aliceKeys.getPublic())))
        .isTrue();
    assertThatCode(() -> auth.authenticate(r, leases)).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.authenticate(r, leases))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("replay")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.VERIFICATION_FAILED));
    // A different answer for an answered lease is a replay too.
    WorkResult other = alice.sign(lease, "cpu", Bytes.of(new byte[] {9}), null, 10);
    assertThatThrownBy(() -> auth.authenticate(other, leases)).hasMessageContaining("replay");
  }

  @Test
  void aForgedWorkerIdIsRejected() {
    // Bob signs a result that claims to come from Alice.
    byte[] content =
        WorkResult.signedContent(lease, w("alice"), Bytes.of(new byte[] {1, 2, 3}), null);
    WorkResult forged =
        new WorkResult(
            lease,
            w("alice"),
            "cpu",
            Bytes.of(new byte[] {1, 2, 3}),
            null,
            10,
            bob.signBytes(content));
    assertThatThrownBy(() -> auth.authenticate(forged, leases))
        .hasMessageContaining("signature")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHENTICATED));
    // Bob's genuine result for Alice's lease fails the lease check.
    WorkResult bobs = bob.sign(lease, "cpu", Bytes.of(new byte[] {1, 2, 3}), null, 10);
    assertThatThrownBy(() -> auth.authenticate(bobs, leases))
        .hasMessageContaining("leased to another worker")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHENTICATED));
    // The rejections did not use up Alice's lease.
    assertThatCode(() -> auth.authenticate(aliceResult(), leases)).doesNotThrowAnyException();
  }

  @Test
  void aTamperedOutputIsRejected() {
    WorkResult r = aliceResult();
    WorkResult tampered =
        new WorkResult(
            r.lease(),
            r.worker(),
            r.backend(),
            Bytes.of(new byte[] {1, 2, 4}),
            null,
            10,
            r.signature());
    assertThatThrownBy(() -> auth.authenticate(tampered, leases)).hasMessageContaining("signature");
    WorkResult garbage =
        new WorkResult(
            r.lease(), r.worker(), r.backend(), r.output(), null, 10, Bytes.of(new byte[5]));
    assertThatThrownBy(() -> auth.authenticate(garbage, leases)).hasMessageContaining("signature");
  }

  @Test
  void aWrongAttemptIsRejected() {
    WorkResult stale =
        alice.sign(new LeaseRef(new TaskId(9), 1), "cpu", Bytes.of(new byte[] {1}), null, 10);
    assertThatThrownBy(() -> auth.authenticate(stale, leases))
        .hasMessageContaining("attempt 1 of t-9 is not leased")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHENTICATED));
  }

  @Test
  void anUnknownTaskIsRejected() {
    WorkResult unknown =
        alice.sign(new LeaseRef(new TaskId(404), 1), "cpu", Bytes.of(new byte[] {1}), null, 10);
    assertThatThrownBy(() -> auth.authenticate(unknown, leases))
        .hasMessageContaining("t-404 is unknown or already finished")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.VERIFICATION_FAILED));
  }

  @Test
  void anUnregisteredWorkerIsRejected() {
    KeyPair keys = ResultSigner.generateKeyPair();
    WorkResult r =
        ResultSigner.of(w("mallory"), keys.getPrivate())
            .sign(lease, "cpu", Bytes.of(new byte[] {1}), null, 10);
    assertThatThrownBy(() -> auth.authenticate(r, leases))
        .hasMessageContaining("mallory is not registered");
  }

  @Test
  void aRegisteredIdCannotBeTakenOverByAnotherKey() {
    assertThatCode(() -> auth.register(info("alice", aliceKeys))).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.register(info("alice", bobKeys)))
        .hasMessageContaining("already bound to another key")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHENTICATED));
    assertThat(auth.unregister(w("alice"))).isTrue();
    assertThatCode(() -> auth.register(info("alice", bobKeys))).doesNotThrowAnyException();
  }

  @Test
  void badKeysAreRefusedNamingTheField() throws Exception {
    WorkerInfo junk =
        new WorkerInfo(
            w("junk"),
            "o",
            "0xabc",
            Bytes.of(new byte[] {1, 2, 3}),
            new Capabilities(Set.of("k"), Set.of("cpu"), List.of(), 0, 1, Set.of(), false));
    assertThatThrownBy(() -> auth.register(junk))
        .isInstanceOf(PoolException.class)
        .hasMessageContaining("worker.publicKey");
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    assertThatThrownBy(() -> ResultSigner.of(w("r"), rsa.getPrivate()))
        .hasMessageContaining("must be Ed25519");
  }

  @Test
  void theReplayMemoryIsBoundedInTimeAndTheLeaseCheckCoversTheRest() {
    WorkResult r = aliceResult();
    auth.authenticate(r, leases);
    clock.advance(Duration.ofHours(2));
    // The scheduler releases the lease once the result is in: a late replay fails the lease check.
    leases.held.clear();
    assertThatThrownBy(() -> auth.authenticate(r, leases)).hasMessageContaining("unknown");
  }
}
