package io.poolforge.examples.demo;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.ModExpInput;
import io.poolforge.compute.core.kinds.ModExpOp;
import io.poolforge.compute.core.kinds.PixelFormat;
import io.poolforge.compute.core.kinds.PowInput;
import io.poolforge.compute.core.kinds.RenderInput;
import io.poolforge.compute.core.kinds.Sha256Input;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's mixed workload, generated deterministically from the seed: SHA-256 batches,
 * proof-of-work ranges (one of them around the Bitcoin genesis nonce), RSA-2048 signing and the
 * tiles of one frame. Immutable once built; not meant for sharing between threads while building.
 */
final class Workload {
  /** Messages per sha256 task. */
  static final int MESSAGES_PER_HASH_TASK = 16;

  /** Nonces per proof-of-work range. */
  static final long POW_RANGE = 1L << 16;

  /** Private-key operations per RSA task. */
  static final int SIGNATURES_PER_RSA_TASK = 4;

  /** RSA modulus size. */
  static final int RSA_BITS = 2048;

  /** The Bitcoin genesis block header and nonce, a known answer the demo shows. */
  static final Bytes GENESIS_HEADER =
      Bytes.fromHex(
          "01000000"
              + "00".repeat(32)
              + "3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a"
              + "29ab5f49ffff001d1dac2b7c");

  static final long GENESIS_NONCE = 2_083_236_893L;

  /** One planned task. */
  record Job(String kind, TaskSpec spec, Object input, long costUnits) {}

  private final List<Job> jobs;
  private final RenderInput frame;
  private final List<RenderInput> tiles;
  private final int powGenesisIndex;

  private Workload(List<Job> jobs, RenderInput frame, List<RenderInput> tiles, int genesis) {
    this.jobs = List.copyOf(jobs);
    this.frame = frame;
    this.tiles = List.copyOf(tiles);
    this.powGenesisIndex = genesis;
  }

  List<Job> jobs() {
    return jobs;
  }

  RenderInput frame() {
    return frame;
  }

  List<RenderInput> tiles() {
    return tiles;
  }

  /** The index in {@link #jobs()} of the range around the genesis nonce. */
  int genesisJob() {
    return powGenesisIndex;
  }

  static Workload generate(DemoOptions o) {
    Random rnd = new Random(o.seed());
    List<Job> jobs = new ArrayList<>();
    for (int t = 0; t < o.hashTasks(); t++) {
      List<Bytes> messages = new ArrayList<>(MESSAGES_PER_HASH_TASK);
      for (int m = 0; m < MESSAGES_PER_HASH_TASK; m++) {
        byte[] b = new byte[32 + rnd.nextInt(480)];
        rnd.nextBytes(b);
        messages.add(Bytes.wrap(b));
      }
      add(jobs, BuiltinKinds.sha256(), new Sha256Input(messages));
    }

    int genesis = jobs.size();
    Bytes bits = PowInput.targetFromBits(0x1d00ffff);
    add(
        jobs,
        BuiltinKinds.pow(),
        PowInput.of(
            GENESIS_HEADER, GENESIS_NONCE - POW_RANGE / 2, GENESIS_NONCE + POW_RANGE / 2, bits));
    byte[] header = new byte[80];
    rnd.nextBytes(header);
    // about one nonce in 2^16 meets this target, so some ranges find one and some report their best
    Bytes target = PowInput.targetOf(BigInteger.ONE.shiftLeft(240));
    for (int t = 1; t < o.powTasks(); t++) {
      add(
          jobs,
          BuiltinKinds.pow(),
          PowInput.of(Bytes.of(header), t * POW_RANGE, (t + 1) * POW_RANGE, target));
    }

    BigInteger[] key = rsaKey(rnd);
    for (int t = 0; t < o.rsaTasks(); t++) {
      List<ModExpOp> ops = new ArrayList<>(SIGNATURES_PER_RSA_TASK);
      for (int s = 0; s < SIGNATURES_PER_RSA_TASK; s++) {
        ops.add(ModExpOp.rsa(new BigInteger(RSA_BITS - 8, rnd), key[2], key[0], key[1]));
      }
      add(jobs, BuiltinKinds.modexp(), new ModExpInput(ops));
    }

    RenderInput frame =
        RenderInput.frame(o.width(), o.height(), o.spp(), o.seed(), PixelFormat.UNORM16);
    int columns = (o.width() + o.tile() - 1) / o.tile();
    int rows = (o.height() + o.tile() - 1) / o.tile();
    List<RenderInput> tiles =
        BuiltinKinds.render().splitter().orElseThrow().split(frame, columns * rows);
    for (RenderInput tile : tiles) {
      add(jobs, BuiltinKinds.render(), tile);
    }
    return new Workload(jobs, frame, tiles, genesis);
  }

  private static <I> void add(List<Job> jobs, TaskKind<I, ?> kind, I input) {
    TaskSpec spec =
        TaskSpec.builder(kind.id(), kind.inputCodec().encode(input)).submitter("demo").build();
    jobs.add(new Job(kind.id(), spec, input, kind.costUnits(input)));
  }

  /** An RSA key with e = 65537 from the seeded generator: {n, e, d}. */
  private static BigInteger[] rsaKey(Random rnd) {
    BigInteger e = BigInteger.valueOf(65_537);
    while (true) {
      BigInteger p = BigInteger.probablePrime(RSA_BITS / 2, rnd);
      BigInteger q = BigInteger.probablePrime(RSA_BITS / 2, rnd);
      BigInteger p1 = p.subtract(BigInteger.ONE);
      BigInteger q1 = q.subtract(BigInteger.ONE);
      BigInteger lambda = p1.multiply(q1).divide(p1.gcd(q1));
      if (!p.equals(q) && lambda.gcd(e).equals(BigInteger.ONE)) {
        return new BigInteger[] {p.multiply(q), e, e.modInverse(lambda)};
      }
    }
  }
}
