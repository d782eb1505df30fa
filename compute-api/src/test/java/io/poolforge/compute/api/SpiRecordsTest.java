package io.poolforge.compute.api;

import static io.poolforge.compute.api.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import io.poolforge.compute.api.store.ContentId;
import io.poolforge.compute.api.store.CreditRecord;
import io.poolforge.compute.api.store.SettlementRecord;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.ResultProof;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpiRecordsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final WorkerId W = new WorkerId("w1");
  private static final LeaseRef LEASE = new LeaseRef(new TaskId(3), 1);

  @Test
  void verificationSpecs() {
    assertThat(VerificationSpec.none().mode()).isEqualTo(VerificationSpec.Mode.NONE);
    assertThat(VerificationSpec.cheapCheckOnly().cheapCheck()).isTrue();
    VerificationSpec q = VerificationSpec.quorum(2, 3);
    assertThat(q.maxReplicas()).isEqualTo(6);
    assertThat(VerificationSpec.spotCheck(0.1).spotCheckRate()).isEqualTo(0.1);
    assertInvalid("verification.replicas", () -> VerificationSpec.quorum(3, 2));
    assertInvalid("verification.quorum", () -> VerificationSpec.quorum(0, 2));
    assertInvalid("verification.spotCheckRate", () -> VerificationSpec.spotCheck(0));
    assertInvalid("verification.spotCheckRate", () -> VerificationSpec.spotCheck(1.5));
    assertInvalid(
        "verification.quorum",
        () -> new VerificationSpec(VerificationSpec.Mode.NONE, 2, 2, 2, 0, false));
    assertInvalid(
        "verification.maxReplicas",
        () -> new VerificationSpec(VerificationSpec.Mode.QUORUM, 2, 3, 2, 0, false));
  }

  @Test
  void attestationLimits() {
    assertThat(new Attestation("ed25519-measurement", Bytes.fromHex("01")).format())
        .isEqualTo("ed25519-measurement");
    assertInvalid("attestation.format", () -> new Attestation("Bad Format", Bytes.EMPTY));
    assertInvalid(
        "attestation.evidence",
        () -> new Attestation("x", Bytes.wrap(new byte[Attestation.MAX_EVIDENCE_BYTES + 1])));
  }

  @Test
  void settlementKeyIsSha256OfEpochChainIndex() throws Exception {
    Bytes key = SettlementBatch.keyOf(7, "evm:31337", 2);
    byte[] chain = "evm:31337".getBytes(StandardCharsets.UTF_8);
    var buf = java.nio.ByteBuffer.allocate(8 + 4 + chain.length + 4);
    buf.putLong(7).putInt(chain.length).put(chain).putInt(2);
    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(buf.array());
    assertThat(key.toByteArray()).isEqualTo(expected);
    assertThat(SettlementBatch.keyOf(7, "evm:31337", 3)).isNotEqualTo(key);
    assertThat(SettlementBatch.keyOf(8, "evm:31337", 2)).isNotEqualTo(key);
    assertThat(SettlementBatch.keyOf(7, "evm:1", 2)).isNotEqualTo(key);

    var payouts = List.of(new Payout("0xabc", BigInteger.TEN));
    SettlementBatch batch = SettlementBatch.of(7, "evm:31337", 2, payouts, Bytes.EMPTY);
    assertThat(batch.idempotencyKey()).isEqualTo(key);
    assertInvalid(
        "idempotencyKey",
        () ->
            new SettlementBatch(
                SettlementBatch.keyOf(6, "evm:31337", 2), 7, "evm:31337", 2, payouts, Bytes.EMPTY));
  }

  @Test
  void payoutsAndStatements() {
    assertInvalid("payout.amount", () -> new Payout("0x1", BigInteger.valueOf(-1)));
    assertInvalid("payout.amount", () -> new Payout("0x1", BigInteger.ONE.shiftLeft(256)));
    assertInvalid("payout.address", () -> new Payout(" ", BigInteger.ONE));
    Bytes root = Bytes.wrap(new byte[32]);
    var entries = List.of(new Payout("0x1", BigInteger.ONE));
    EpochStatement s = new EpochStatement(0, T0, entries, root, Map.of("0x1", List.of()));
    assertThat(s.proof("0x1")).isEmpty();
    PoolException missing =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            PoolException.class, () -> s.proof("0x2"));
    assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertInvalid("proofs", () -> new EpochStatement(0, T0, entries, root, Map.of()));
    assertInvalid(
        "merkleRoot",
        () -> new EpochStatement(0, T0, entries, Bytes.fromHex("01"), Map.of("0x1", List.of())));
    assertThat(new EpochStatement(0, T0, List.of(), Bytes.EMPTY, Map.of()).entries()).isEmpty();
  }

  @Test
  void settlementRecordsNeedSignedBytesOnceSigned() {
    SettlementBatch batch = SettlementBatch.of(0, "sim", 0, List.of(), Bytes.EMPTY);
    var signed = new SignedSettlement(batch, Bytes.fromHex("aa"), Bytes.fromHex("bb"));
    assertThat(new SettlementRecord(batch, SettlementState.PENDING, null, 0, T0, null).state())
        .isEqualTo(SettlementState.PENDING);
    assertThat(new SettlementRecord(batch, SettlementState.SIGNED, signed, 0, T0, null).signed())
        .isEqualTo(signed);
    assertInvalid(
        "signed", () -> new SettlementRecord(batch, SettlementState.SUBMITTED, null, 1, T0, null));
    assertInvalid(
        "blockNumber",
        () ->
            new SettlementReceipt(
                batch.idempotencyKey(), SettlementState.CONFIRMED, Bytes.EMPTY, -2, null));
    assertThat(SettlementState.CONFIRMED.isTerminal()).isTrue();
    assertThat(SettlementState.REQUEUED.isTerminal()).isFalse();
  }

  @Test
  void creditRecords() {
    TaskId t = new TaskId(9);
    assertThat(new CreditRecord(t, W, "0x1", 0, BigInteger.ONE, T0).amount()).isEqualTo(1);
    assertInvalid("amount", () -> new CreditRecord(t, W, "0x1", 0, BigInteger.ZERO, T0));
    assertInvalid("epoch", () -> new CreditRecord(t, W, "0x1", -1, BigInteger.ONE, T0));
    assertInvalid("payoutAddress", () -> new CreditRecord(t, W, "", 0, BigInteger.ONE, T0));
  }

  @Test
  void contentIdIsCidV1RawSha256() {
    // The CID that IPFS gives the empty raw block.
    assertThat(ContentId.of(Bytes.EMPTY).value())
        .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assertThat(ContentId.of(Bytes.fromHex("01")).value()).startsWith("bafkrei").hasSize(59);
    assertInvalid("contentId", () -> new ContentId("Qm123"));
    assertInvalid("sha256", () -> ContentId.ofDigest(new byte[31]));
  }

  @Test
  void transportMessages() {
    assertInvalid("attempt", () -> new LeaseRef(new TaskId(1), 0));
    assertInvalid("cpuLoad", () -> new Heartbeat(1.5, 0, 0, 0, 0));
    assertInvalid("queuedTasks", () -> new Heartbeat(0.5, 0, 0, 0, -1));
    assertInvalid("kind", () -> new Assignment(LEASE, "", Bytes.EMPTY, T0, null));
    assertInvalid("priority", () -> new Assignment(LEASE, "k", Bytes.EMPTY, T0, null, 10));
    assertThat(new Assignment(LEASE, "k", Bytes.EMPTY, T0, null).priority())
        .isEqualTo(Priority.NORMAL);
    var failure = new TaskStatus.Failure(ErrorCode.INVALID_ARGUMENT, "bad input");
    assertInvalid(
        "output",
        () -> new WorkResult(LEASE, W, "cpu", Bytes.fromHex("01"), failure, 0, Bytes.EMPTY));
    assertInvalid(
        "signature",
        () -> new WorkResult(LEASE, W, "cpu", Bytes.EMPTY, null, 0, Bytes.wrap(new byte[257])));
    assertInvalid(
        "heldLeases",
        () ->
            new Registration(
                new WorkerInfo(
                    W,
                    "o",
                    "0x1",
                    Bytes.fromHex("01"),
                    WorkerRecordsTest.caps(Set.of("cpu"), 0, Set.of(), false)),
                null,
                Arrays.asList(LEASE, null)));
  }

  @Test
  void resultProofsAreCheckedForSizeIndexAndPathShape() {
    Bytes h = Bytes.wrap(new byte[ResultProof.HASH_BYTES]);
    assertThat(ResultProof.SINGLE.path()).isEmpty();
    assertThat(new WorkResult(LEASE, W, "cpu", Bytes.EMPTY, null, 0, Bytes.EMPTY).proof())
        .isEqualTo(ResultProof.SINGLE);
    // 5 leaves: levels 5 -> 3 -> 2 -> 1; leaf 4 is carried up twice, then paired once.
    assertThat(ResultProof.pathLength(4, 5)).isEqualTo(1);
    assertThat(ResultProof.pathLength(0, 5)).isEqualTo(3);
    assertThat(ResultProof.pathLength(1023, 1024)).isEqualTo(10);
    assertThat(new ResultProof(3, 5, List.of(h, h, h)).path()).hasSize(3);
    assertInvalid("proof.size", () -> new ResultProof(0, 0, List.of()));
    assertInvalid("proof.size", () -> new ResultProof(0, ResultProof.MAX_BATCH + 1, List.of()));
    assertInvalid("proof.index", () -> new ResultProof(5, 5, List.of(h)));
    assertInvalid("proof.index", () -> new ResultProof(-1, 5, List.of(h)));
    assertInvalid(
        "proof.path",
        () -> new ResultProof(0, 2, Collections.nCopies(ResultProof.MAX_PATH + 1, h)));
    assertInvalid("proof.path[1]", () -> new ResultProof(0, 4, List.of(h, Bytes.fromHex("01"))));
    assertInvalid("proof.path", () -> new ResultProof(0, 4, List.of(h)));
    assertInvalid("proof.path", () -> new ResultProof(4, 5, List.of(h, h)));
    assertInvalid(
        "proof", () -> new WorkResult(LEASE, W, "cpu", Bytes.EMPTY, null, 0, Bytes.EMPTY, null));
  }

  @Test
  void signedContentBindsWorkerTaskAttemptAndAnswer() {
    Bytes out = Bytes.fromHex("0102");
    byte[] base = WorkResult.signedContent(LEASE, W, out, null);
    assertThat(WorkResult.signedContent(LEASE, W, out, null)).isEqualTo(base);
    assertThat(WorkResult.signedContent(new LeaseRef(new TaskId(3), 2), W, out, null))
        .isNotEqualTo(base);
    assertThat(WorkResult.signedContent(new LeaseRef(new TaskId(4), 1), W, out, null))
        .isNotEqualTo(base);
    assertThat(WorkResult.signedContent(LEASE, new WorkerId("w2"), out, null)).isNotEqualTo(base);
    assertThat(WorkResult.signedContent(LEASE, W, Bytes.fromHex("0103"), null)).isNotEqualTo(base);
    var failure = new TaskStatus.Failure(ErrorCode.INVALID_ARGUMENT, "x");
    assertThat(WorkResult.signedContent(LEASE, W, Bytes.EMPTY, failure)).isNotEqualTo(base);
    // an error whose text looks like an output still differs: the kind byte tells them apart
    var looksLikeOutput = new TaskStatus.Failure(ErrorCode.INVALID_ARGUMENT, "");
    byte[] asError = WorkResult.signedContent(LEASE, W, Bytes.EMPTY, looksLikeOutput);
    byte[] asOutput =
        WorkResult.signedContent(
            LEASE, W, Bytes.of("INVALID_ARGUMENT:".getBytes(StandardCharsets.UTF_8)), null);
    assertThat(asError).isNotEqualTo(asOutput);
  }

  @Test
  void signedContentIsTheTagTheIdsAndTheAnswerInOrder() {
    byte[] content = WorkResult.signedContent(LEASE, W, Bytes.fromHex("0102"), null);
    String tag = "poolforge.result.v2";
    byte[] id = W.value().getBytes(StandardCharsets.UTF_8);
    ByteBuffer expected = ByteBuffer.allocate(tag.length() + 4 + id.length + 8 + 4 + 1 + 2);
    expected.put(tag.getBytes(StandardCharsets.US_ASCII)).putInt(id.length).put(id);
    expected.putLong(LEASE.task().value()).putInt(LEASE.attempt()).put((byte) 0);
    expected.put(new byte[] {1, 2});
    assertThat(content).isEqualTo(expected.array());
  }

  @Test
  void updateDigestFeedsExactlyTheSignedContent() throws Exception {
    var failure = new TaskStatus.Failure(ErrorCode.DEADLINE_EXCEEDED, "too slow: ü");
    Bytes big = Bytes.of(new byte[100_000]);
    for (Object[] c :
        new Object[][] {{Bytes.fromHex("0102"), null}, {Bytes.EMPTY, failure}, {big, null}}) {
      Bytes out = (Bytes) c[0];
      var err = (TaskStatus.Failure) c[1];
      MessageDigest a = MessageDigest.getInstance("SHA-256");
      WorkResult.updateDigest(a, LEASE, W, out, err);
      byte[] b =
          MessageDigest.getInstance("SHA-256").digest(WorkResult.signedContent(LEASE, W, out, err));
      assertThat(a.digest()).isEqualTo(b);
    }
  }
}
