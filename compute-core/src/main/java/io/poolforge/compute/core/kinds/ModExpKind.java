package io.poolforge.compute.core.kinds;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Codec;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The modular exponentiation kinds: {@code modexp}, whose moduli must be odd so that every backend
 * (the GPU ones use Montgomery multiplication) can run it, and {@code modexp-general}, which also
 * takes even moduli and runs only where {@link java.math.BigInteger#modPow} or an equivalent does.
 * A zero modulus is always rejected.
 *
 * <p>Cost: {@code ceil(modulusBits² × max(1, exponentBits) / 2^17)} units per operation, at least
 * one, so a 2048-bit RSA private-key operation costs 65,536 units (about the CPU time of that many
 * SHA-256 blocks with BigInteger.modPow) and a 4096-bit one 524,288.
 *
 * <p>Cheap check: every RSA operation (one with a public exponent) is checked by {@code result^e
 * mod n == base}; of the others one, chosen deterministically from the task, is recomputed. Any
 * mismatch or out-of-range result refutes; the output is confirmed when every operation was
 * checked, and otherwise unchecked.
 *
 * <p>Immutable and thread-safe; never blocks.
 *
 * @since 0.1.0
 */
public final class ModExpKind implements TaskKind<ModExpInput, ModExpOutput> {
  /** The id of the odd-modulus (Montgomery) kind. */
  public static final String ID = "modexp";

  /** The id of the kind that also takes even moduli. */
  public static final String GENERAL_ID = "modexp-general";

  static final ModExpKind MONTGOMERY = new ModExpKind(ID, true);
  static final ModExpKind GENERAL = new ModExpKind(GENERAL_ID, false);

  private final String id;
  private final boolean montgomeryOnly;
  private final Codec<ModExpInput> inputCodec;
  private final Codec<ModExpOutput> outputCodec;

  private ModExpKind(String id, boolean montgomeryOnly) {
    this.id = id;
    this.montgomeryOnly = montgomeryOnly;
    this.inputCodec = new InputCodec(id);
    this.outputCodec = new OutputCodec(id);
  }

  /**
   * The {@code modexp-general} kind, which also takes even moduli; not in {@link
   * BuiltinKinds#all()}, so a pool that wants it registers it explicitly. GPU backends do not run
   * it.
   *
   * @return the kind
   */
  public static ModExpKind general() {
    return GENERAL;
  }

  /**
   * Whether the kind requires odd moduli, as Montgomery multiplication does.
   *
   * @return true for {@code modexp}
   */
  public boolean montgomeryOnly() {
    return montgomeryOnly;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Codec<ModExpInput> inputCodec() {
    return inputCodec;
  }

  @Override
  public Codec<ModExpOutput> outputCodec() {
    return outputCodec;
  }

  @Override
  public void validate(ModExpInput input) {
    if (input == null) {
      throw PoolException.invalidArgument(id + ".input", "must not be null");
    }
    if (montgomeryOnly) {
      for (int i = 0; i < input.ops().size(); i++) {
        if (!input.ops().get(i).modulus().testBit(0)) {
          throw PoolException.invalidArgument(
              id + ".ops[" + i + "].modulus",
              "is even; kind '"
                  + id
                  + "' runs on Montgomery-only backends and needs an odd modulus (kind '"
                  + GENERAL_ID
                  + "' takes even moduli)");
        }
      }
    }
  }

  @Override
  public long costUnits(ModExpInput input) {
    long units = 0;
    for (ModExpOp op : input.ops()) {
      units += cost(op);
    }
    return Math.max(1, units);
  }

  /**
   * The cost of one operation: {@code ceil(modulusBits² × max(1, exponentBits) / 2^17)}, at least
   * one.
   *
   * @param op the operation
   * @return its cost units
   */
  public static long cost(ModExpOp op) {
    long m = op.modulus().bitLength();
    long e = Math.max(1, op.exponent().bitLength());
    return Math.max(1, (m * m * e + (1 << 17) - 1) >> 17);
  }

  @Override
  public Verdict cheapCheck(ModExpInput input, ModExpOutput output) {
    List<ModExpOp> ops = input.ops();
    if (output.results().size() != ops.size()) {
      return Verdict.REFUTED;
    }
    long seed = ops.size();
    List<Integer> plain = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      ModExpOp op = ops.get(i);
      BigInteger r = output.results().get(i);
      if (r.compareTo(op.modulus()) >= 0) {
        return Verdict.REFUTED;
      }
      if (op.publicExponent() != null) {
        if (!r.modPow(op.publicExponent(), op.modulus()).equals(op.base())) {
          return Verdict.REFUTED;
        }
      } else {
        plain.add(i);
        seed = Sampling.mix(seed ^ op.modulus().hashCode() ^ ((long) r.hashCode() << 32));
      }
    }
    if (plain.isEmpty()) {
      return Verdict.CONFIRMED;
    }
    int pick = plain.get(Sampling.indices(seed, plain.size(), 1)[0]);
    if (!compute(ops.get(pick)).equals(output.results().get(pick))) {
      return Verdict.REFUTED;
    }
    return plain.size() == 1 ? Verdict.CONFIRMED : Verdict.UNCHECKED;
  }

  /**
   * The reference for one operation, with {@link BigInteger#modPow}.
   *
   * @param op the operation
   * @return {@code base^exponent mod modulus}
   */
  public static BigInteger compute(ModExpOp op) {
    return op.base().modPow(op.exponent(), op.modulus());
  }

  /**
   * The reference for a batch, sequential on the calling thread.
   *
   * @param input the batch
   * @return the results
   */
  public static ModExpOutput compute(ModExpInput input) {
    List<BigInteger> out = new ArrayList<>(input.ops().size());
    for (ModExpOp op : input.ops()) {
      out.add(compute(op));
    }
    return new ModExpOutput(out);
  }

  @Override
  public String toString() {
    return "TaskKind[" + id + "]";
  }

  private record InputCodec(String id) implements Codec<ModExpInput> {
    @Override
    public Bytes encode(ModExpInput value) {
      Wire.Writer w = new Wire.Writer(5 + value.ops().size() * 800).u32(value.ops().size());
      for (ModExpOp op : value.ops()) {
        w.u8(op.publicExponent() == null ? 0 : 1)
            .bigint(op.base())
            .bigint(op.exponent())
            .bigint(op.modulus());
        if (op.publicExponent() != null) {
          w.bigint(op.publicExponent());
        }
      }
      return w.done();
    }

    @Override
    public ModExpInput decode(Bytes bytes) {
      Wire.Reader r = new Wire.Reader(bytes, id);
      int n = r.count(id + ".ops", 1, ModExpInput.MAX_OPS);
      List<ModExpOp> ops = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String f = id + ".ops[" + i + "]";
        int flags = r.u8(f + ".flags");
        if (flags > 1) {
          throw PoolException.invalidArgument(f + ".flags", "is " + flags + ", must be 0 or 1");
        }
        BigInteger base = r.bigint(f + ".base", ModExpOp.MAX_BITS);
        BigInteger exponent = r.bigint(f + ".exponent", ModExpOp.MAX_BITS);
        BigInteger modulus = r.bigint(f + ".modulus", ModExpOp.MAX_BITS);
        BigInteger e = flags == 1 ? r.bigint(f + ".publicExponent", ModExpOp.MAX_BITS) : null;
        ModExpOp.check(f, base, exponent, modulus, e);
        ops.add(new ModExpOp(base, exponent, modulus, e));
      }
      r.end();
      return new ModExpInput(ops);
    }
  }

  private record OutputCodec(String id) implements Codec<ModExpOutput> {
    @Override
    public Bytes encode(ModExpOutput value) {
      Wire.Writer w = new Wire.Writer(5 + value.results().size() * 260).u32(value.results().size());
      value.results().forEach(w::bigint);
      return w.done();
    }

    @Override
    public ModExpOutput decode(Bytes bytes) {
      Wire.Reader r = new Wire.Reader(bytes, id);
      int n = r.count(id + ".results", 1, ModExpInput.MAX_OPS);
      List<BigInteger> results = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        results.add(r.bigint(id + ".results[" + i + "]", ModExpOp.MAX_BITS));
      }
      r.end();
      return new ModExpOutput(results);
    }
  }
}
