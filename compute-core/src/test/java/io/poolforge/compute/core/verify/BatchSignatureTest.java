package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One Ed25519 signature per result batch: the Merkle tree, its proofs and the verdict cache. */
class BatchSignatureTest {
  private final KeyPair aliceKeys = ResultSigner.generateKeyPair();
  private final KeyPair bobKeys = ResultSigner.generateKeyPair();
  private final ResultSigner alice = ResultSigner.of(w("alice"), aliceKeys.getPrivate());
  private final ResultSigner bob = ResultSigner.of(w("bob"), bobKeys.getPrivate());

  private static WorkResult unsigned(WorkerId worker, long task, int out) {
    return new WorkResult(
        new LeaseRef(new TaskId(task), 1),
        worker,
        "cpu",
        Bytes.of(new byte[] {(byte) out, (byte) (out >> 8)}),
        null,
        10,
        Bytes.EMPTY);
  }

  private List<WorkResult> aliceBatch(long firstTask, int n) {
    List<WorkResult> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(unsigned(w("alice"), firstTask + i, i));
    }
    return alice.signBatch(batch);
  }

  private SignedBatchVerifier aliceVerifier() {
    return SignedBatchVerifier.of(aliceKeys.getPublic(), 16);
  }

  @Test
  void everyResultOfABatchChecksAloneWithOneSignatureCheck() {
    for (int n : new int[] {1, 2, 3, 5, 7, 64, 100}) {
      List<WorkResult> batch = aliceBatch(1000, n);
      SignedBatchVerifier v = aliceVerifier();
      for (int i = 0; i < n; i++) {
        WorkResult r = batch.get(i);
        assertThat(r.signature()).isEqualTo(batch.get(0).signature());
        assertThat(r.proof().index()).isEqualTo(i);
        assertThat(r.proof().size()).isEqualTo(n);
        assertThat(r.proof().path()).hasSize(ResultProof.pathLength(i, n));
        assertThat(v.verify(r)).as("leaf %d of %d", i, n).isTrue();
        // each result checks on its own too, with no memory of its siblings
        assertThat(
                ResultAuthenticator.signatureChecks(r, ResultSigner.encode(aliceKeys.getPublic())))
            .isTrue();
      }
      assertThat(v.signatureChecks()).as("Ed25519 checks for a batch of %d", n).isEqualTo(1);
    }
  }

  @Test
  void aBatchOfOneHasAnEmptyPath() {
    WorkResult r = alice.sign(new LeaseRef(new TaskId(1), 1), "cpu", Bytes.EMPTY, null, 1);
    assertThat(r.proof()).isEqualTo(ResultProof.SINGLE);
    assertThat(aliceVerifier().verify(r)).isTrue();
    List<WorkResult> one = aliceBatch(5, 1);
    assertThat(one.get(0).proof()).isEqualTo(ResultProof.SINGLE);
    assertThat(aliceVerifier().verify(one.get(0))).isTrue();
  }

  @Test
  void anAlteredResultInsideAValidBatchIsRejectedWhileItsSiblingsPass() {
    List<WorkResult> batch = new ArrayList<>(aliceBatch(2000, 8));
    WorkResult good = batch.get(3);
    WorkResult altered =
        new WorkResult(
            good.lease(),
            good.worker(),
            good.backend(),
            Bytes.fromHex("ffff"),
            null,
            good.elapsedNanos(),
            good.signature(),
            good.proof());
    WorkResult failedInstead =
        new WorkResult(
            good.lease(),
            good.worker(),
            good.backend(),
            Bytes.EMPTY,
            new TaskStatus.Failure(ErrorCode.INTERNAL, "x"),
            good.elapsedNanos(),
            good.signature(),
            good.proof());
    WorkResult otherAttempt =
        new WorkResult(
            new LeaseRef(good.lease().task(), 2),
            good.worker(),
            good.backend(),
            good.output(),
            null,
            good.elapsedNanos(),
            good.signature(),
            good.proof());
    batch.set(3, altered);
    SignedBatchVerifier v = aliceVerifier();
    for (int i = 0; i < batch.size(); i++) {
      assertThat(v.verify(batch.get(i))).as("result %d", i).isEqualTo(i != 3);
    }
    // the verdict for the genuine root is cached: the forgeries cannot borrow it
    assertThat(v.verify(failedInstead)).isFalse();
    assertThat(v.verify(otherAttempt)).isFalse();
    assertThat(v.verify(good)).isTrue();
  }

  @Test
  void aForgedWorkerIdInsideAValidBatchIsRejected() {
    List<WorkResult> batch = aliceBatch(3000, 4);
    WorkResult r = batch.get(2);
    WorkResult claimsBob =
        new WorkResult(
            r.lease(),
            w("bob"),
            r.backend(),
            r.output(),
            null,
            r.elapsedNanos(),
            r.signature(),
            r.proof());
    assertThat(SignedBatchVerifier.of(bobKeys.getPublic(), 4).verify(claimsBob)).isFalse();
    assertThat(SignedBatchVerifier.of(aliceKeys.getPublic(), 4).verify(claimsBob)).isFalse();
    // bob's own batch does not check with alice's key
    List<WorkResult> bobs =
        bob.signBatch(List.of(unsigned(w("bob"), 1, 1), unsigned(w("bob"), 2, 2)));
    assertThat(aliceVerifier().verify(bobs.get(0))).isFalse();
  }

  @Test
  void aPathFromAnotherBatchOrAWrongIndexIsRejected() {
    List<WorkResult> first = aliceBatch(4000, 8);
    List<WorkResult> second = aliceBatch(5000, 8);
    SignedBatchVerifier v = aliceVerifier();
    assertThat(v.verify(second.get(5))).isTrue();
    WorkResult r = first.get(5);
    // r's leaf with the other batch's signature and path (same index and size)
    assertThat(v.verify(r.withSignature(second.get(5).signature(), second.get(5).proof())))
        .isFalse();
    // r's own path with the other batch's signature
    assertThat(v.verify(r.withSignature(second.get(5).signature(), r.proof()))).isFalse();
    // the right path and signature under a wrong index (same path length)
    ResultProof wrongIndex = new ResultProof(4, 8, r.proof().path());
    assertThat(v.verify(r.withSignature(r.signature(), wrongIndex))).isFalse();
    // a wrong batch size that keeps the path length
    ResultProof wrongSize = new ResultProof(5, 7, r.proof().path());
    assertThat(v.verify(r.withSignature(r.signature(), wrongSize))).isFalse();
    // a flipped bit in one sibling
    List<Bytes> path = new ArrayList<>(r.proof().path());
    byte[] sibling = path.get(1).toByteArray();
    sibling[0] ^= 1;
    path.set(1, Bytes.wrap(sibling));
    assertThat(v.verify(r.withSignature(r.signature(), new ResultProof(5, 8, path)))).isFalse();
    // the genuine one still passes
    assertThat(v.verify(r)).isTrue();
  }

  @Test
  void oversizeOrMalformedProofsAreInvalidArguments() {
    Bytes h = Bytes.wrap(new byte[32]);
    assertThatThrownBy(
            () -> new ResultProof(0, 2, java.util.Collections.nCopies(ResultProof.MAX_PATH + 1, h)))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("proof.path", "limit is 20");
            });
    assertThatThrownBy(() -> new ResultProof(0, 2, List.of(Bytes.wrap(new byte[31]))))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.getMessage()).contains("proof.path[0]", "must be 32"));
    assertThatThrownBy(() -> alice.signBatch(List.of()))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.getMessage()).contains("results"));
    assertThatThrownBy(() -> alice.signBatch(List.of(unsigned(w("bob"), 1, 1))))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> assertThat(e.getMessage()).contains("results[0].worker", "bob"));
    assertThatThrownBy(() -> SignedBatchVerifier.of(aliceKeys.getPublic(), 0))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.getMessage()).contains("maxCachedBatches"));
  }

  @Test
  void theVerdictMemoryIsBoundedAndStillCorrectAfterEviction() {
    SignedBatchVerifier v = SignedBatchVerifier.of(aliceKeys.getPublic(), 2);
    List<List<WorkResult>> batches = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      batches.add(aliceBatch(10_000 + 100L * b, 3));
    }
    for (List<WorkResult> batch : batches) {
      for (WorkResult r : batch) {
        assertThat(v.verify(r)).isTrue();
      }
    }
    assertThat(v.signatureChecks()).isEqualTo(4);
    // batch 0 was evicted: checked again, and still right
    assertThat(v.verify(batches.get(0).get(1))).isTrue();
    assertThat(v.signatureChecks()).isEqualTo(5);
  }

  @Test
  void theAuthenticatorAcceptsEachLeasedResultOfABatchAndRejectsTheAlteredOne() {
    ResultAuthenticator auth =
        ResultAuthenticator.builder()
            .clock(new MutableClock())
            .replayWindow(Duration.ofHours(1))
            .build();
    auth.register(ResultAuthenticatorTest.info("alice", aliceKeys));
    ResultAuthenticatorTest.Leases leases = new ResultAuthenticatorTest.Leases();
    List<WorkResult> batch = new ArrayList<>(aliceBatch(6000, 5));
    for (WorkResult r : batch) {
      leases.held.put(r.lease(), w("alice"));
    }
    WorkResult good = batch.get(2);
    batch.set(
        2,
        new WorkResult(
            good.lease(),
            good.worker(),
            good.backend(),
            Bytes.fromHex("00"),
            null,
            1,
            good.signature(),
            good.proof()));
    for (int i = 0; i < batch.size(); i++) {
      WorkResult r = batch.get(i);
      if (i == 2) {
        assertThatThrownBy(() -> auth.authenticate(r, leases))
            .isInstanceOfSatisfying(
                PoolException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                  assertThat(e.getMessage()).contains("signature");
                });
      } else {
        assertThatCode(() -> auth.authenticate(r, leases)).doesNotThrowAnyException();
      }
    }
    // the genuine result is still accepted, once; replaying a sibling is not
    assertThatCode(() -> auth.authenticate(good, leases)).doesNotThrowAnyException();
    assertThatThrownBy(() -> auth.authenticate(batch.get(0), leases))
        .hasMessageContaining("replay");
  }

  @Test
  void aWholeBatchIsCheckedInOnePassWithTheSameVerdictsAsOneByOne() {
    for (int n : new int[] {2, 3, 5, 64, 333}) {
      List<WorkResult> batch = new ArrayList<>(aliceBatch(20_000, n));
      SignedBatchVerifier v = aliceVerifier();
      boolean[] ok = v.verifyAll(batch);
      for (boolean b : ok) {
        assertThat(b).isTrue();
      }
      assertThat(v.signatureChecks()).isEqualTo(1);
      // one altered output, one altered path: only those two fail, in one pass or one by one
      WorkResult r1 = batch.get(1);
      batch.set(
          1,
          new WorkResult(
              r1.lease(),
              r1.worker(),
              r1.backend(),
              Bytes.fromHex("abcd"),
              null,
              1,
              r1.signature(),
              r1.proof()));
      int last = n - 1;
      WorkResult rl = batch.get(last);
      List<Bytes> path = new ArrayList<>(rl.proof().path());
      byte[] h = path.get(0).toByteArray();
      h[31] ^= 1;
      path.set(0, Bytes.wrap(h));
      batch.set(last, rl.withSignature(rl.signature(), new ResultProof(last, n, path)));
      boolean[] whole = aliceVerifier().verifyAll(batch);
      SignedBatchVerifier single = aliceVerifier();
      for (int i = 0; i < n; i++) {
        assertThat(whole[i]).as("leaf %d of %d", i, n).isEqualTo(i != 1 && i != last);
        assertThat(single.verify(batch.get(i))).isEqualTo(whole[i]);
      }
    }
  }

  @Test
  void aWholeBatchWithTheRightLeavesButAForeignPathIsRejected() {
    List<WorkResult> batch = new ArrayList<>(aliceBatch(30_000, 4));
    List<WorkResult> other = aliceBatch(31_000, 4);
    // leaf 2 carries a well-formed path of another batch: its leaf and the signature still
    // reach the signed root when the tree is rebuilt, but the path it carries is wrong
    WorkResult r = batch.get(2);
    batch.set(2, r.withSignature(r.signature(), other.get(2).proof()));
    boolean[] ok = aliceVerifier().verifyAll(batch);
    assertThat(ok).containsExactly(true, true, false, true);
    // results that are not a whole batch in order are checked one by one
    List<WorkResult> mixed = List.of(other.get(3), other.get(0), aliceBatch(32_000, 1).get(0));
    assertThat(aliceVerifier().verifyAll(mixed)).containsExactly(true, true, true);
  }
}
