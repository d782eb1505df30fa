package io.poolforge.compute.core.kinds;

import static io.poolforge.compute.core.kinds.KindAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowKindTest {
  /** The Bitcoin genesis block header; its nonce is 2083236893. */
  static final Bytes GENESIS =
      Bytes.fromHex(
          "01000000"
              + "00".repeat(32)
              + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a"
              + "29ab5f49"
              + "ffff001d"
              + "1dac2b7c");

  static final long GENESIS_NONCE = 2_083_236_893L;
  static final String GENESIS_HASH =
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

  private final PowKind kind = BuiltinKinds.pow();

  private static String reversedHex(Bytes hash) {
    byte[] b = hash.toByteArray();
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return Bytes.wrap(r).toHex();
  }

  @Test
  void findsTheGenesisNonce() {
    Bytes target = PowInput.targetFromBits(0x1d00ffff);
    assertThat(target.toHex()).isEqualTo("00000000ffff" + "00".repeat(26));
    PowInput in = PowInput.of(GENESIS, GENESIS_NONCE - 3000, GENESIS_NONCE + 1000, target);
    PowOutput out = PowKind.search(in, () -> false);
    assertThat(out.outcome()).isEqualTo(PowOutput.Outcome.FOUND);
    assertThat(out.nonce()).isEqualTo(GENESIS_NONCE);
    assertThat(reversedHex(out.hash())).isEqualTo(GENESIS_HASH);
    assertThat(kind.cheapCheck(in, out)).isEqualTo(Verdict.CONFIRMED);
    assertThat(kind.costUnits(in)).isEqualTo(12_000);
  }

  @Test
  void reportsTheLowestHashOrNothingWhenNoNonceMeetsTheTarget() {
    Bytes target = PowInput.targetFromBits(0x1d00ffff);
    PowInput in = PowInput.of(GENESIS, 1000, 1500, target);
    PowOutput best = PowKind.search(in, () -> false);
    assertThat(best.outcome()).isEqualTo(PowOutput.Outcome.BEST);
    byte[] header = GENESIS.toByteArray();
    for (long n = 1000; n < 1500; n++) {
      assertThat(PowKind.compareLe(PowKind.doubleHash(header, n), best.hash().toByteArray()))
          .isGreaterThanOrEqualTo(0);
    }
    assertThat(kind.cheapCheck(in, best)).isEqualTo(Verdict.UNCHECKED);
    PowOutput forged = PowOutput.best(best.nonce(), Bytes.of(new byte[32]));
    assertThat(kind.cheapCheck(in, forged)).isEqualTo(Verdict.REFUTED);
    assertThat(kind.cheapCheck(in, PowOutput.NONE)).isEqualTo(Verdict.REFUTED);

    PowInput quiet = new PowInput(GENESIS, 1000, 1500, target, false, null);
    assertThat(PowKind.search(quiet, () -> false)).isEqualTo(PowOutput.NONE);
    assertThat(kind.cheapCheck(quiet, PowOutput.NONE)).isEqualTo(Verdict.UNCHECKED);
  }

  @Test
  void splitPartsMergeToTheWholeAndResumeGivesTheSameAnswer() {
    // an easy target so that several nonces in the range meet it
    Bytes easy = PowInput.targetOf(BigInteger.ONE.shiftLeft(249));
    PowInput in = PowInput.of(GENESIS, 5_000, 9_000, easy);
    PowOutput whole = PowKind.search(in, () -> false);
    assertThat(whole.outcome()).isEqualTo(PowOutput.Outcome.FOUND);
    var splitter = kind.splitter().orElseThrow();
    List<PowInput> parts = splitter.split(in, 7);
    assertThat(parts).hasSize(7);
    assertThat(parts.get(0).start()).isEqualTo(5_000);
    assertThat(parts.get(6).end()).isEqualTo(9_000);
    List<PowOutput> outs = new ArrayList<>();
    parts.forEach(p -> outs.add(PowKind.search(p, () -> false)));
    assertThat(splitter.merge(in, outs)).isEqualTo(whole);

    Bytes hard = PowInput.targetFromBits(0x1d00ffff);
    PowInput miss = PowInput.of(GENESIS, 0, 3_000, hard);
    PowOutput missWhole = PowKind.search(miss, () -> false);
    List<PowOutput> missParts = new ArrayList<>();
    splitter.split(miss, 4).forEach(p -> missParts.add(PowKind.search(p, () -> false)));
    assertThat(splitter.merge(miss, missParts)).isEqualTo(missWhole);

    // checkpoint after the first 1000 nonces, carrying the best so far
    PowOutput firstPart = PowKind.search(PowInput.of(GENESIS, 0, 1_000, hard), () -> false);
    Bytes checkpoint = PowKind.checkpoint(1_000, firstPart);
    PowInput resumed = kind.resumer().orElseThrow().resume(miss, checkpoint);
    assertThat(resumed.start()).isEqualTo(1_000);
    assertThat(resumed.carried()).isEqualTo(firstPart);
    assertThat(PowKind.search(resumed, () -> false)).isEqualTo(missWhole);
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(resumed))).isEqualTo(resumed);

    assertInvalid(
        () -> kind.resumer().orElseThrow().resume(miss, PowKind.checkpoint(3_000, null)),
        "pow.checkpoint.next",
        "[0, 3000)");
    assertInvalid(
        () -> kind.resumer().orElseThrow().resume(miss, Bytes.fromHex("0100")),
        "pow.checkpoint.next",
        "truncated");
  }

  @Test
  void codecsRoundTrip() {
    PowInput in =
        new PowInput(GENESIS, 7, 1L << 32, PowInput.targetFromBits(0x1d00ffff), false, null);
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(in))).isEqualTo(in);
    for (PowOutput out :
        List.of(
            PowOutput.NONE,
            PowOutput.found(5, Bytes.of(new byte[32])),
            PowOutput.best(6, Bytes.of(new byte[32])))) {
      assertThat(kind.outputCodec().decode(kind.outputCodec().encode(out))).isEqualTo(out);
    }
  }

  @Test
  void badInputNamesFieldAndLimit() {
    Bytes target = PowInput.targetFromBits(0x1d00ffff);
    assertInvalid(
        () -> PowInput.of(Bytes.of(new byte[79]), 0, 10, target), "pow.header", "exactly 80");
    assertInvalid(
        () -> PowInput.of(Bytes.of(new byte[81]), 0, 10, target), "pow.header", "exactly 80");
    assertInvalid(() -> PowInput.of(GENESIS, 10, 10, target), "pow.end", "non-empty");
    assertInvalid(() -> PowInput.of(GENESIS, 0, (1L << 32) + 1, target), "pow.end", "4294967296");
    assertInvalid(() -> PowInput.of(GENESIS, -1, 10, target), "pow.start", "[0, 4294967296)");
    assertInvalid(() -> PowInput.of(GENESIS, 0, 10, Bytes.of(new byte[32])), "pow.target", "zero");
    assertInvalid(() -> PowInput.of(GENESIS, 0, 10, Bytes.of(new byte[31])), "pow.target", "32");
    assertInvalid(() -> PowInput.targetFromBits(0x1d800000), "pow.bits", "compact");
    // a header of the wrong length in the wire format: 79 bytes then the rest
    Bytes shortPayload = Bytes.fromHex("01" + "00".repeat(79));
    assertInvalid(() -> kind.inputCodec().decode(shortPayload), "pow.header", "truncated");
    PowOutput found = PowOutput.found(3, Bytes.of(new byte[32]));
    assertInvalid(() -> new PowInput(GENESIS, 10, 20, target, true, found), "pow.carried", "BEST");
    assertInvalid(
        () ->
            new PowInput(GENESIS, 10, 20, target, true, PowOutput.best(10, Bytes.of(new byte[32]))),
        "pow.carried.nonce",
        "below start");
  }
}
