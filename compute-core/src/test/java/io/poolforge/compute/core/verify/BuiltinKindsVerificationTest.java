package io.poolforge.compute.core.verify;

import static io.poolforge.compute.core.verify.Fixtures.w;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpKind;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.ModExpOutput;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.PowKind;
import io.poolforge.compute.core.kinds.PowOutput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.RenderKind;
import io.poolforge.compute.core.kinds.RenderOutput;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import io.poolforge.compute.core.verify.Verifier.Decision;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credibility verifier's policies on the built-in kinds and their own cheap checks. */
class BuiltinKindsVerificationTest {
  private CredibilityTracker tracker;
  private CredibilityVerifier verifier;

  @BeforeEach
  void setUp() {
    tracker = CredibilityTracker.builder().clock(new MutableClock()).build();
    verifier =
        CredibilityVerifier.builder().reputation(tracker).random(new SplittableRandom(3)).build();
  }

  private static <I, O> Verifier.TaskView view(
      TaskKind<I, O> kind, I input, VerificationSpec spec, int dispatched) {
    TaskSpec ts =
        TaskSpec.builder(kind.id(), kind.inputCodec().encode(input)).verification(spec).build();
    return new Verifier.TaskView(ts, kind, spec, dispatched);
  }

  private static <O> WorkResult result(
      String worker, int attempt, String backend, TaskKind<?, O> kind, O output) {
    return new WorkResult(
        new LeaseRef(Fixtures.TASK, attempt),
        w(worker),
        backend,
        kind.outputCodec().encode(output),
        null,
        1,
        Bytes.EMPTY);
  }

  @Test
  void sha256QuorumAcceptsTheMajorityAndTheSampledRecomputeCatchesGarbage() {
    Sha256Kind kind = BuiltinKinds.sha256();
    List<Bytes> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(Bytes.of(("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    Sha256Input in = new Sha256Input(messages);
    Sha256Output right = Sha256Kind.compute(in);
    List<Bytes> junk = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      junk.add(Bytes.of(new byte[32]));
    }
    Sha256Output wrong = new Sha256Output(junk);
    Decision d =
        verifier.judge(
            view(kind, in, VerificationSpec.quorum(2, 3), 3),
            List.of(
                result("a", 1, "cpu", kind, right),
                result("cheat", 2, "cuda", kind, wrong),
                result("b", 3, "opencl", kind, right)));
    assertThat(d).isInstanceOf(Decision.Accept.class);
    Decision.Accept a = (Decision.Accept) d;
    assertThat(a.method()).isEqualTo(CredibilityVerifier.QUORUM);
    assertThat(a.wrong()).containsExactly(w("cheat"));
    assertThat(tracker.quarantine(w("cheat")).reason()).contains("refuted by the kind's check");
  }

  @Test
  void powFoundNoncesAreConfirmedByReHashingAndForgedOnesRefuted() {
    PowKind kind = BuiltinKinds.pow();
    byte[] header = new byte[80];
    new Random(5).nextBytes(header);
    PowInput in =
        PowInput.of(Bytes.of(header), 0, 1 << 16, PowInput.targetOf(BigInteger.ONE.shiftLeft(248)));
    PowOutput found = PowKind.search(in, () -> false);
    assertThat(found.outcome()).isEqualTo(PowOutput.Outcome.FOUND);
    PowOutput forged = PowOutput.found(found.nonce() + 1, found.hash());
    VerificationSpec spot = VerificationSpec.spotCheck(1.0);
    Decision bad =
        verifier.judge(view(kind, in, spot, 1), List.of(result("cheat", 1, "cpu", kind, forged)));
    assertThat(bad).isEqualTo(new Decision.Replicate(1, List.of(w("cheat"))));
    Decision good =
        verifier.judge(
            view(kind, in, spot, 2),
            List.of(
                result("cheat", 1, "cpu", kind, forged), result("miner", 2, "cuda", kind, found)));
    assertThat(good).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) good).method()).isEqualTo(CredibilityVerifier.CHEAP_CHECK);
    assertThat(tracker.verifiedCount(w("miner"), kind.id())).isEqualTo(1.0);
  }

  @Test
  void rsaSignaturesAreConfirmedByThePublicExponent() {
    ModExpKind kind = BuiltinKinds.modexp();
    BigInteger p = BigInteger.probablePrime(256, new Random(1));
    BigInteger q = BigInteger.probablePrime(256, new Random(2));
    BigInteger n = p.multiply(q);
    BigInteger e = BigInteger.valueOf(65537);
    BigInteger d = e.modInverse(p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE)));
    BigInteger m = new BigInteger("123456789123456789");
    ModExpInput in = ModExpInput.of(ModExpOp.rsa(m, d, n, e));
    ModExpOutput right = ModExpKind.compute(in);
    ModExpOutput wrong = new ModExpOutput(List.of(right.results().get(0).add(BigInteger.ONE)));
    for (VerificationSpec spec :
        List.of(
            VerificationSpec.cheapCheckOnly(),
            VerificationSpec.quorum(2, 2),
            VerificationSpec.spotCheck(1.0))) {
      Decision ok =
          verifier.judge(view(kind, in, spec, 1), List.of(result("signer", 1, "cpu", kind, right)));
      assertThat(ok).as(spec.mode().name()).isInstanceOf(Decision.Accept.class);
      assertThat(((Decision.Accept) ok).method()).isEqualTo(CredibilityVerifier.CHEAP_CHECK);
    }
    Decision refuted =
        verifier.judge(
            view(kind, in, VerificationSpec.spotCheck(1.0), 1),
            List.of(result("forger", 1, "cpu", kind, wrong)));
    assertThat(refuted).isEqualTo(new Decision.Replicate(1, List.of(w("forger"))));
    assertThat(tracker.quarantined(w("forger"))).isTrue();
  }

  @Test
  void renderTilesAgreeWithinTheToleranceOnOneBackendClassOnly() {
    RenderKind kind = BuiltinKinds.render();
    RenderInput in = RenderInput.frame(8, 8, 2, 42, PixelFormat.FLOAT32);
    RenderOutput reference = RenderKind.render(in);
    double[] rgb = new double[reference.channels()];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = reference.raw(i) * (1 + 1e-6);
    }
    RenderOutput lastBits = RenderOutput.of(8, 8, PixelFormat.FLOAT32, rgb);
    VerificationSpec twoOfTwo = VerificationSpec.quorum(2, 2);
    Decision same =
        verifier.judge(
            view(kind, in, twoOfTwo, 2),
            List.of(
                result("a", 1, "cuda", kind, reference), result("b", 2, "cuda", kind, lastBits)));
    assertThat(same).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) same).method()).isEqualTo(CredibilityVerifier.QUORUM);

    List<WorkResult> mixed =
        List.of(result("c", 1, "cuda", kind, reference), result("d", 2, "cpu", kind, lastBits));
    Verifier.TaskView v = view(kind, in, twoOfTwo, 2);
    assertThat(verifier.judge(v, mixed)).isEqualTo(new Decision.Replicate(1, List.of()));
    assertThat(verifier.replicaBackend(v, mixed)).contains("cuda");

    RenderOutput black = RenderOutput.of(8, 8, PixelFormat.FLOAT32, new double[8 * 8 * 3]);
    Decision garbage =
        verifier.judge(
            view(kind, in, VerificationSpec.spotCheck(1.0), 1),
            List.of(result("lazy", 1, "cuda", kind, black)));
    if (garbage instanceof Decision.Replicate r && !r.wrong().isEmpty()) {
      assertThat(tracker.quarantined(w("lazy"))).isTrue();
    } else {
      // The sampled pixels happened to be dark: the spot-check replica decides instead.
      assertThat(garbage).isEqualTo(new Decision.Replicate(1, List.of()));
      Decision truth =
          verifier.judgeWithTruth(
              view(kind, in, VerificationSpec.spotCheck(1.0), 2),
              List.of(
                  result("lazy", 1, "cuda", kind, black), result("e", 2, "cuda", kind, reference)),
              kind.outputCodec().encode(reference));
      assertThat(((Decision.Accept) truth).wrong()).containsExactly(w("lazy"));
    }
  }
}
