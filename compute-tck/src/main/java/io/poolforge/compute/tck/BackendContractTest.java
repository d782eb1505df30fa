package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.backend.ComputeBackend;
import io.poolforge.compute.api.backend.ComputeBackendProvider;
import io.poolforge.compute.api.backend.ExecutionContext;
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
import io.poolforge.compute.tck.backend.KnownAnswers;
import io.poolforge.compute.tck.backend.RecordingContext;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link ComputeBackend} meets, as an abstract JUnit 5 suite. A backend module
 * subclasses it and returns its provider:
 *
 * <pre>{@code
 * class CudaBackendContractTest extends BackendContractTest {
 *   protected ComputeBackendProvider provider() { return new CudaBackendProvider(); }
 * }
 * }</pre>
 *
 * The suite is skipped where {@link ComputeBackendProvider#isAvailable()} is false (no GPU, no
 * driver). It creates one backend for the whole suite and closes it at the end. Tests of a kind the
 * backend does not list in {@link ComputeBackend#kinds()} are skipped, so a backend that runs only
 * some built-in kinds passes for those it runs. It checks: published known answers (FIPS 180-4
 * SHA-256, the Bitcoin genesis nonce, small modular exponentiations), random cross-checks against
 * the JDK, the RSA public-exponent check, render tiles within the render kind's tolerance of the
 * reference, proof-of-work splitting and checkpoints, bad input rejected with INVALID_ARGUMENT,
 * concurrent callers, and that {@code id()}, {@code kinds()} and {@code devices()} are sane.
 *
 * <p>Not thread-safe (a JUnit test class); may block while the backend computes.
 *
 * @since 0.1.0
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
  private ComputeBackend backend;

  /**
   * The provider under test.
   *
   * @return a provider; the suite calls {@link ComputeBackendProvider#create()} once
   */
  protected abstract ComputeBackendProvider provider();

  /**
   * Whether to hash the one-million-'a' FIPS example, which is slow on some devices.
   *
   * @return true by default
   */
  protected boolean runLongVectors() {
    return true;
  }

  /**
   * How many random modular exponentiations per size to cross-check.
   *
   * @return 4 by default
   */
  protected int randomCases() {
    return 4;
  }

  @BeforeAll
  void createBackend() {
    ComputeBackendProvider p = provider();
    assumeTrue(p.isAvailable(), () -> "backend provider '" + p.id() + "' is not available here");
    backend = p.create();
  }

  @AfterAll
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  /**
   * The backend under test, created once for the suite.
   *
   * @return the backend
   */
  protected final ComputeBackend backend() {
    return backend;
  }

  /**
   * Runs one input on the backend.
   *
   * @param kind the kind
   * @param input the input
   * @param <I> the input type
   * @param <O> the output type
   * @return the output
   */
  protected final <I, O> O run(TaskKind<I, O> kind, I input) {
    List<O> out = backend.execute(kind, List.of(input), ExecutionContext.NONE);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private TaskKind<?, ?> firstBuiltinKind() {
    return BuiltinKinds.all().stream()
        .filter(k -> backend.kinds().contains(k.id()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("backend runs no built-in kind: " + backend.kinds()));
  }

  private void assumeKind(String id) {
    assumeTrue(backend.kinds().contains(id), () -> "backend does not run kind '" + id + "'");
  }

  private static void assertInvalid(ThrowingCallable call, String fieldPart) {
    assertThatThrownBy(call)
        .isInstanceOf(PoolException.class)
        .satisfies(
            e -> {
              PoolException p = (PoolException) e;
              assertThat(p.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(p.field()).contains(fieldPart);
            });
  }

  /** Identity, devices and kinds. */
  @Nested
  @DisplayName("description")
  class Description {
    @Test
    void idMatchesTheProviderAndIsAName() {
      assertThat(backend.id()).isEqualTo(provider().id()).matches("[a-z0-9][a-z0-9._-]{0,63}");
      assertThat(provider().isAvailable()).isTrue();
      assertThat(provider().priority()).isEqualTo(provider().priority());
    }

    @Test
    void devicesAreListedAndBelongToTheBackend() {
      List<DeviceInfo> devices = backend.devices();
      assertThat(devices).isNotEmpty();
      for (DeviceInfo d : devices) {
        assertThat(d.backend()).isEqualTo(backend.id());
        assertThat(d.computeUnits()).isPositive();
        assertThat(d.memoryBytes()).isPositive();
        assertThat(d.name()).isNotBlank();
      }
    }

    @Test
    void kindsAreNamesAndIncludeABuiltinKind() {
      assertThat(backend.kinds()).isNotEmpty();
      backend.kinds().forEach(k -> assertThat(k).matches("[a-z0-9][a-z0-9._-]{0,63}"));
      assertThat(backend.kinds())
          .containsAnyOf(Sha256Kind.ID, PowKind.ID, ModExpKind.ID, RenderKind.ID);
    }

    @Test
    void closeIsIdempotentAndAClosedBackendRefusesWork() {
      ComputeBackend extra = provider().create();
      extra.close();
      extra.close();
      TaskKind<?, ?> builtin = firstBuiltinKind();
      assertThatThrownBy(() -> executeAny(extra, builtin))
          .isInstanceOf(PoolException.class)
          .satisfies(e -> assertThat(((PoolException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    private <I, O> void executeAny(ComputeBackend b, TaskKind<I, O> kind) {
      @SuppressWarnings("unchecked")
      I input = (I) sampleInput(kind.id());
      b.execute(kind, List.of(input), ExecutionContext.NONE);
    }

    private Object sampleInput(String id) {
      return switch (id) {
        case PowKind.ID ->
            PowInput.of(
                KnownAnswers.GENESIS_HEADER,
                0,
                16,
                PowInput.targetFromBits(KnownAnswers.GENESIS_BITS));
        case ModExpKind.ID ->
            ModExpInput.of(ModExpOp.of(BigInteger.TWO, BigInteger.TEN, BigInteger.valueOf(1001)));
        case RenderKind.ID -> RenderInput.frame(2, 2, 1, 1, PixelFormat.FLOAT32);
        default -> Sha256Input.of(KnownAnswers.ascii("abc"));
      };
    }
  }

  /** The sha256 kind. */
  @Nested
  @DisplayName("sha256")
  class Sha256 {
    @Test
    void fips180_4Examples() {
      assumeKind(Sha256Kind.ID);
      List<String> messages = new ArrayList<>(KnownAnswers.SHA256.keySet());
      List<Bytes> input = messages.stream().map(KnownAnswers::ascii).toList();
      Sha256Output out = run(BuiltinKinds.sha256(), new Sha256Input(input));
      for (int i = 0; i < messages.size(); i++) {
        assertThat(out.digests().get(i).toHex())
            .as("SHA-256(\"%s\")", messages.get(i))
            .isEqualTo(KnownAnswers.SHA256.get(messages.get(i)));
      }
    }

    @Test
    void oneMillionA() {
      assumeKind(Sha256Kind.ID);
      assumeTrue(runLongVectors(), "long vectors disabled for this backend");
      Sha256Output out =
          run(BuiltinKinds.sha256(), Sha256Input.of(KnownAnswers.ascii("a".repeat(1_000_000))));
      assertThat(out.digests().get(0).toHex()).isEqualTo(KnownAnswers.SHA256_MILLION_A);
    }

    @Test
    void randomBatchesMatchTheJdkInOrder() throws Exception {
      assumeKind(Sha256Kind.ID);
      Random rnd = new Random(2024);
      List<Sha256Input> inputs = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        List<Bytes> messages = new ArrayList<>();
        int n = 1 + rnd.nextInt(400);
        for (int i = 0; i < n; i++) {
          // lengths around the padding boundaries (55, 56, 64) and some larger ones
          int len = i % 5 == 0 ? rnd.nextInt(5000) : 50 + rnd.nextInt(20);
          byte[] m = new byte[len];
          rnd.nextBytes(m);
          messages.add(Bytes.of(m));
        }
        inputs.add(new Sha256Input(messages));
      }
      List<Sha256Output> outs =
          backend.execute(BuiltinKinds.sha256(), inputs, ExecutionContext.NONE);
      assertThat(outs).hasSize(inputs.size());
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int b = 0; b < inputs.size(); b++) {
        List<Bytes> messages = inputs.get(b).messages();
        assertThat(outs.get(b).digests()).hasSize(messages.size());
        for (int i = 0; i < messages.size(); i++) {
          assertThat(outs.get(b).digests().get(i).toByteArray())
              .isEqualTo(md.digest(messages.get(i).toByteArray()));
        }
      }
    }

    @Test
    void largestMessageAndConcurrentCallers() throws Exception {
      assumeKind(Sha256Kind.ID);
      byte[] big = new byte[Sha256Input.MAX_MESSAGE_BYTES];
      new Random(5).nextBytes(big);
      Bytes expected = Sha256Kind.digest(Bytes.of(big));
      ExecutorService callers = Executors.newFixedThreadPool(4);
      try {
        List<Future<Sha256Output>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          futures.add(
              callers.submit(() -> run(BuiltinKinds.sha256(), Sha256Input.of(Bytes.of(big)))));
        }
        for (Future<Sha256Output> f : futures) {
          assertThat(f.get().digests()).containsExactly(expected);
        }
      } finally {
        callers.shutdownNow();
      }
    }
  }

  /** The pow kind. */
  @Nested
  @DisplayName("pow")
  class Pow {
    private final Bytes genesisTarget = PowInput.targetFromBits(KnownAnswers.GENESIS_BITS);

    @Test
    void findsTheGenesisNonceInARangeAroundIt() {
      assumeKind(PowKind.ID);
      long n = KnownAnswers.GENESIS_NONCE;
      PowInput in = PowInput.of(KnownAnswers.GENESIS_HEADER, n - 20_000, n + 5_000, genesisTarget);
      PowOutput out = run(BuiltinKinds.pow(), in);
      assertThat(out.outcome()).isEqualTo(PowOutput.Outcome.FOUND);
      assertThat(out.nonce()).isEqualTo(n);
      assertThat(KnownAnswers.reversedHex(out.hash())).isEqualTo(KnownAnswers.GENESIS_HASH_DISPLAY);
      assertThat(BuiltinKinds.pow().cheapCheck(in, out)).isEqualTo(TaskKind.Verdict.CONFIRMED);
    }

    @Test
    void bestMissAndLowestWinnerMatchTheReference() {
      assumeKind(PowKind.ID);
      PowInput miss = PowInput.of(KnownAnswers.GENESIS_HEADER, 10_000, 30_000, genesisTarget);
      assertThat(run(BuiltinKinds.pow(), miss)).isEqualTo(PowKind.search(miss, () -> false));
      PowInput quiet =
          new PowInput(KnownAnswers.GENESIS_HEADER, 10_000, 30_000, genesisTarget, false, null);
      assertThat(run(BuiltinKinds.pow(), quiet)).isEqualTo(PowOutput.NONE);
      // an easy target met by many nonces: the answer is the lowest of them
      PowInput easy =
          PowInput.of(
              KnownAnswers.GENESIS_HEADER,
              0,
              50_000,
              PowInput.targetOf(BigInteger.ONE.shiftLeft(244)));
      PowOutput expected = PowKind.search(easy, () -> false);
      assertThat(expected.outcome()).isEqualTo(PowOutput.Outcome.FOUND);
      assertThat(run(BuiltinKinds.pow(), easy)).isEqualTo(expected);
    }

    @Test
    void splitPartsInOneBatchMergeToTheWholeAnswer() {
      assumeKind(PowKind.ID);
      PowInput in = PowInput.of(KnownAnswers.GENESIS_HEADER, 0, 40_000, genesisTarget);
      var splitter = BuiltinKinds.pow().splitter().orElseThrow();
      List<PowInput> parts = splitter.split(in, 5);
      List<PowOutput> outs = backend.execute(BuiltinKinds.pow(), parts, ExecutionContext.NONE);
      assertThat(splitter.merge(in, outs)).isEqualTo(PowKind.search(in, () -> false));
    }

    @Test
    void resumingFromACheckpointGivesTheSameAnswer() {
      assumeKind(PowKind.ID);
      PowInput whole = PowInput.of(KnownAnswers.GENESIS_HEADER, 0, 30_000, genesisTarget);
      PowOutput firstHalf =
          PowKind.search(
              PowInput.of(KnownAnswers.GENESIS_HEADER, 0, 12_000, genesisTarget), () -> false);
      Bytes checkpoint = PowKind.checkpoint(12_000, firstHalf);
      RecordingContext ctx = new RecordingContext(checkpoint);
      List<PowOutput> out = backend.execute(BuiltinKinds.pow(), List.of(whole), ctx);
      assertThat(out).containsExactly(PowKind.search(whole, () -> false));
      // whatever checkpoints the backend saved resume to the same answer
      for (Bytes saved : ctx.saved()) {
        PowInput resumed = BuiltinKinds.pow().resumer().orElseThrow().resume(whole, saved);
        assertThat(PowKind.search(resumed, () -> false)).isEqualTo(out.get(0));
      }
    }
  }

  /** The modexp kinds. */
  @Nested
  @DisplayName("modexp")
  class ModExp {
    private BigInteger big(long v) {
      return BigInteger.valueOf(v);
    }

    @Test
    void knownAnswers() {
      assumeKind(ModExpKind.ID);
      ModExpOutput out =
          run(
              BuiltinKinds.modexp(),
              ModExpInput.of(
                  ModExpOp.of(big(4), big(13), big(497)),
                  ModExpOp.of(big(0), big(0), big(7)),
                  ModExpOp.of(big(0), big(9), big(1)),
                  ModExpOp.of(big(2), big(10), big(1_000_001)),
                  ModExpOp.of(
                      big(3),
                      BigInteger.ONE.shiftLeft(127).subtract(big(3)),
                      BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE))));
      // Fermat: for the Mersenne prime p = 2^127 - 1, 3^(p-2) mod p is the inverse of 3
      BigInteger p = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
      assertThat(out.results())
          .containsExactly(big(445), big(1), big(0), big(1024), big(3).modInverse(p));
    }

    @Test
    void randomOperationsMatchBigIntegerAtEverySize() {
      assumeKind(ModExpKind.ID);
      Random rnd = new Random(77);
      List<ModExpOp> ops = new ArrayList<>();
      for (int bits : new int[] {32, 256, 1024, 2048, 4096}) {
        int cases = bits == 4096 ? Math.max(1, randomCases() / 2) : randomCases();
        for (int i = 0; i < cases; i++) {
          BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
          BigInteger base = new BigInteger(bits, rnd).mod(m);
          BigInteger exp = new BigInteger(i == 0 ? 17 : bits, rnd);
          ops.add(ModExpOp.of(base, exp, m));
        }
      }
      ModExpOutput out = run(BuiltinKinds.modexp(), new ModExpInput(ops));
      for (int i = 0; i < ops.size(); i++) {
        ModExpOp op = ops.get(i);
        assertThat(out.results().get(i))
            .as("op %d (%d-bit modulus)", i, op.modulus().bitLength())
            .isEqualTo(op.base().modPow(op.exponent(), op.modulus()));
      }
    }

    @Test
    void rsaPrivateKeyOperationsPassThePublicExponentCheck() {
      assumeKind(ModExpKind.ID);
      Random rnd = new Random(3);
      List<ModExpOp> ops = new ArrayList<>();
      for (int bits : new int[] {1024, 2048}) {
        BigInteger[] key = KnownAnswers.rsaKey(bits, rnd);
        ops.add(ModExpOp.rsa(new BigInteger(bits - 8, rnd), key[2], key[0], key[1]));
      }
      ModExpInput in = new ModExpInput(ops);
      ModExpOutput out = run(BuiltinKinds.modexp(), in);
      for (int i = 0; i < ops.size(); i++) {
        ModExpOp op = ops.get(i);
        assertThat(out.results().get(i).modPow(op.publicExponent(), op.modulus()))
            .isEqualTo(op.base());
      }
      assertThat(BuiltinKinds.modexp().cheapCheck(in, out)).isEqualTo(TaskKind.Verdict.CONFIRMED);
    }

    @Test
    void evenModuliRunOnlyUnderTheGeneralKind() {
      assumeKind(ModExpKind.ID);
      ModExpInput even = ModExpInput.of(ModExpOp.of(big(3), big(200), BigInteger.TEN.pow(30)));
      assertInvalid(() -> run(BuiltinKinds.modexp(), even), "modulus");
      if (backend.kinds().contains(ModExpKind.GENERAL_ID)) {
        assertThat(run(ModExpKind.general(), even).results())
            .containsExactly(big(3).modPow(big(200), BigInteger.TEN.pow(30)));
      }
    }
  }

  /** The render kind. */
  @Nested
  @DisplayName("render")
  class Render {
    @Test
    void tileMatchesTheReferenceWithinTolerance() {
      assumeKind(RenderKind.ID);
      RenderInput tile = new RenderInput(64, 48, 16, 8, 24, 20, 8, 11, PixelFormat.FLOAT32);
      RenderOutput out = run(BuiltinKinds.render(), tile);
      assertThat(out.width()).isEqualTo(24);
      assertThat(out.height()).isEqualTo(20);
      assertThat(BuiltinKinds.render().equivalent(out, RenderKind.render(tile)))
          .as("PSNR >= %s dB against the reference", RenderKind.EQUIVALENCE_PSNR_DB)
          .isTrue();
      assertThat(BuiltinKinds.render().cheapCheck(tile, out))
          .isNotEqualTo(TaskKind.Verdict.REFUTED);
    }

    @Test
    void frameSplitIntoTilesMergesToTheReferenceFrame() {
      assumeKind(RenderKind.ID);
      RenderInput frame = RenderInput.frame(40, 30, 4, 5, PixelFormat.UNORM16);
      var splitter = BuiltinKinds.render().splitter().orElseThrow();
      List<RenderInput> tiles = splitter.split(frame, 6);
      List<RenderOutput> outs =
          backend.execute(BuiltinKinds.render(), tiles, ExecutionContext.NONE);
      RenderOutput merged = splitter.merge(frame, outs);
      assertThat(BuiltinKinds.render().equivalent(merged, RenderKind.render(frame))).isTrue();
    }
  }

  /** Bad input: INVALID_ARGUMENT naming the field, and nothing else disturbed. */
  @Nested
  @DisplayName("bad input")
  class BadInput {
    @Test
    void emptyBatchAndUnknownKindAreRejected() {
      TaskKind<?, ?> kind = firstBuiltinKind();
      assertInvalid(() -> backend.execute(kind, List.of(), ExecutionContext.NONE), "inputs");
      assertInvalid(
          () -> backend.execute(new ForeignKind(), List.of("x"), ExecutionContext.NONE), "kind");
    }

    @Test
    void payloadsBreakingAKindsLimitsAreRejectedWhenDecoded() {
      Codec<Sha256Input> sha = BuiltinKinds.sha256().inputCodec();
      assertInvalid(() -> sha.decode(Bytes.fromHex("01" + "00000000")), "sha256.messages");
      assertInvalid(
          () -> sha.decode(Bytes.fromHex("01" + "00000001" + "00100001")), "sha256.messages[0]");
      assertInvalid(
          () -> new Sha256Input(Collections.nCopies(2, Bytes.of(new byte[(1 << 20) + 1]))),
          "sha256.messages[0]");
      assertInvalid(
          () -> PowInput.of(Bytes.of(new byte[81]), 0, 1, PowInput.targetFromBits(0x1d00ffff)),
          "pow.header");
      assertInvalid(
          () ->
              BuiltinKinds.modexp()
                  .inputCodec()
                  .decode(Bytes.fromHex("01" + "00000001" + "00" + "000102" + "000103" + "0000")),
          "modulus");
      assertInvalid(
          () -> new RenderInput(32, 32, 16, 16, 17, 4, 1, 0, PixelFormat.FLOAT32), "render.tile");
    }

    @Test
    void aRejectedBatchDoesNotDisturbTheNextOne() {
      assumeKind(ModExpKind.ID);
      ModExpInput even =
          ModExpInput.of(ModExpOp.of(BigInteger.ONE, BigInteger.ONE, BigInteger.TWO));
      assertInvalid(() -> run(BuiltinKinds.modexp(), even), "modulus");
      ModExpInput odd =
          ModExpInput.of(
              ModExpOp.of(BigInteger.TWO, BigInteger.valueOf(5), BigInteger.valueOf(33)));
      assertThat(run(BuiltinKinds.modexp(), odd).results()).containsExactly(BigInteger.valueOf(32));
    }
  }

  /** A kind no backend knows. */
  private static final class ForeignKind implements TaskKind<String, String> {
    private static final Codec<String> CODEC =
        new Codec<>() {
          @Override
          public Bytes encode(String value) {
            return KnownAnswers.ascii(value);
          }

          @Override
          public String decode(Bytes bytes) {
            return new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.US_ASCII);
          }
        };

    @Override
    public String id() {
      return "tck-foreign";
    }

    @Override
    public Codec<String> inputCodec() {
      return CODEC;
    }

    @Override
    public Codec<String> outputCodec() {
      return CODEC;
    }

    @Override
    public void validate(String input) {}

    @Override
    public long costUnits(String input) {
      return 1;
    }
  }
}
