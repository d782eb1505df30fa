package io.poolforge.compute.core.kinds;

import static io.poolforge.compute.core.kinds.KindAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind.Verdict;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModExpKindTest {
  private final ModExpKind kind = BuiltinKinds.modexp();

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  /** A small RSA key: n = p q, e = 65537, d = e^-1 mod lcm(p-1, q-1). */
  static BigInteger[] rsaKey(int bits, Random rnd) {
    BigInteger e = big(65_537);
    while (true) {
      BigInteger p = BigInteger.probablePrime(bits / 2, rnd);
      BigInteger q = BigInteger.probablePrime(bits / 2, rnd);
      BigInteger lambda =
          p.subtract(BigInteger.ONE)
              .multiply(q.subtract(BigInteger.ONE))
              .divide(p.subtract(BigInteger.ONE).gcd(q.subtract(BigInteger.ONE)));
      if (!p.equals(q) && lambda.gcd(e).equals(BigInteger.ONE)) {
        return new BigInteger[] {p.multiply(q), e, e.modInverse(lambda)};
      }
    }
  }

  @Test
  void knownAnswers() {
    ModExpOutput out =
        ModExpKind.compute(
            ModExpInput.of(
                ModExpOp.of(big(4), big(13), big(497)),
                ModExpOp.of(big(0), big(0), big(7)),
                ModExpOp.of(big(0), big(5), big(1)),
                ModExpOp.of(big(2), big(10), big(1_000_001))));
    assertThat(out.results()).containsExactly(big(445), big(1), big(0), big(1024));
  }

  @Test
  void randomCrossCheckAndRsaCheck() {
    Random rnd = new Random(11);
    List<ModExpOp> ops = new ArrayList<>();
    for (int bits : new int[] {64, 512, 1024, 2048}) {
      BigInteger m = new BigInteger(bits, rnd).setBit(bits - 1).setBit(0);
      ops.add(ModExpOp.of(new BigInteger(bits - 1, rnd), new BigInteger(bits, rnd), m));
    }
    ModExpInput in = new ModExpInput(ops);
    ModExpOutput out = ModExpKind.compute(in);
    for (int i = 0; i < ops.size(); i++) {
      ModExpOp op = ops.get(i);
      assertThat(out.results().get(i)).isEqualTo(op.base().modPow(op.exponent(), op.modulus()));
    }
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(in))).isEqualTo(in);
    assertThat(kind.outputCodec().decode(kind.outputCodec().encode(out))).isEqualTo(out);

    BigInteger[] key = rsaKey(1024, rnd);
    BigInteger message = new BigInteger(1000, rnd);
    ModExpInput rsa = ModExpInput.of(ModExpOp.rsa(message, key[2], key[0], key[1]));
    ModExpOutput signature = ModExpKind.compute(rsa);
    assertThat(kind.cheapCheck(rsa, signature)).isEqualTo(Verdict.CONFIRMED);
    ModExpOutput forged = new ModExpOutput(List.of(signature.results().get(0).add(BigInteger.ONE)));
    assertThat(kind.cheapCheck(rsa, forged)).isEqualTo(Verdict.REFUTED);
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(rsa))).isEqualTo(rsa);
  }

  @Test
  void cheapCheckSamplesPlainOperations() {
    ModExpInput two =
        ModExpInput.of(ModExpOp.of(big(4), big(13), big(497)), ModExpOp.of(big(3), big(5), big(7)));
    ModExpOutput right = ModExpKind.compute(two);
    assertThat(kind.cheapCheck(two, right)).isEqualTo(Verdict.UNCHECKED);
    assertThat(kind.cheapCheck(two, new ModExpOutput(List.of(big(1), big(1)))))
        .isEqualTo(Verdict.REFUTED);
    ModExpInput one = ModExpInput.of(ModExpOp.of(big(4), big(13), big(497)));
    assertThat(kind.cheapCheck(one, new ModExpOutput(List.of(big(445)))))
        .isEqualTo(Verdict.CONFIRMED);
    assertThat(kind.cheapCheck(one, new ModExpOutput(List.of(big(446)))))
        .isEqualTo(Verdict.REFUTED);
    assertThat(kind.cheapCheck(one, new ModExpOutput(List.of(big(500)))))
        .isEqualTo(Verdict.REFUTED);
  }

  @Test
  void costGrowsWithTheCubeOfTheBits() {
    BigInteger m2048 = BigInteger.ONE.shiftLeft(2047).setBit(0);
    BigInteger m4096 = BigInteger.ONE.shiftLeft(4095).setBit(0);
    ModExpOp op2048 = ModExpOp.of(big(2), m2048.subtract(BigInteger.ONE), m2048);
    ModExpOp op4096 = ModExpOp.of(big(2), m4096.subtract(BigInteger.ONE), m4096);
    assertThat(ModExpKind.cost(op2048)).isEqualTo(65_536);
    assertThat(ModExpKind.cost(op4096)).isEqualTo(524_288);
    assertThat(kind.costUnits(ModExpInput.of(op2048, op4096))).isEqualTo(65_536 + 524_288);
    assertThat(ModExpKind.cost(ModExpOp.of(big(2), big(3), big(5)))).isEqualTo(1);
  }

  @Test
  void badInputNamesFieldAndLimit() {
    assertInvalid(() -> ModExpOp.of(big(1), big(1), BigInteger.ZERO), "modexp.op.modulus", "zero");
    assertInvalid(() -> ModExpOp.of(big(1), big(1), big(-5)), "modexp.op.modulus", "negative");
    assertInvalid(
        () -> ModExpOp.of(big(1), BigInteger.ONE.shiftLeft(4096), big(5)),
        "modexp.op.exponent",
        "4096 bits");
    assertInvalid(() -> ModExpOp.of(big(9), big(1), big(5)), "modexp.op.base", "below the modulus");
    assertInvalid(() -> new ModExpInput(List.of()), "modexp.ops", "1 to 4096");
    // even modulus: fine for modexp-general, refused by the Montgomery-only kind
    ModExpInput even =
        ModExpInput.of(ModExpOp.of(big(3), big(5), big(7)), ModExpOp.of(big(3), big(5), big(10)));
    ModExpKind.general().validate(even);
    assertInvalid(() -> kind.validate(even), "modexp.ops[1].modulus", "odd modulus");
    assertThat(ModExpKind.compute(even).results()).containsExactly(big(5), big(3));
    // zero modulus on the wire
    Bytes zeroModulus = Bytes.fromHex("01" + "00000001" + "00" + "000101" + "000101" + "0000");
    assertInvalid(() -> kind.inputCodec().decode(zeroModulus), "modexp.ops[0].modulus", "zero");
    Bytes huge = Bytes.fromHex("01" + "00000001" + "00" + "0400" + "ff".repeat(1024));
    assertInvalid(() -> kind.inputCodec().decode(huge), "modexp.ops[0].base", "4096 bits");
    assertInvalid(
        () -> kind.inputCodec().decode(Bytes.fromHex("01" + "00002000")), "modexp.ops", "4096");
  }
}
