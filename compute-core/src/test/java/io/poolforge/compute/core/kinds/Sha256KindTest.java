package io.poolforge.compute.core.kinds;

import static io.poolforge.compute.core.kinds.KindAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.TaskKind.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256KindTest {
  private final Sha256Kind kind = BuiltinKinds.sha256();

  private static Bytes ascii(String s) {
    return Bytes.of(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void fips180_4Vectors() {
    Sha256Output out =
        Sha256Kind.compute(
            Sha256Input.of(
                ascii("abc"),
                Bytes.EMPTY,
                ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                ascii("a".repeat(1_000_000))));
    assertThat(out.digests())
        .extracting(Bytes::toHex)
        .containsExactly(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  @Test
  void codecRoundTripsAndCostCountsBlocks() throws Exception {
    Random rnd = new Random(7);
    List<Bytes> messages = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] m = new byte[rnd.nextInt(300)];
      rnd.nextBytes(m);
      messages.add(Bytes.of(m));
    }
    Sha256Input in = new Sha256Input(messages);
    assertThat(kind.inputCodec().decode(kind.inputCodec().encode(in))).isEqualTo(in);
    Sha256Output out = Sha256Kind.compute(in);
    assertThat(kind.outputCodec().decode(kind.outputCodec().encode(out))).isEqualTo(out);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    assertThat(out.digests().get(3).toByteArray())
        .isEqualTo(md.digest(messages.get(3).toByteArray()));
    assertThat(Sha256Kind.blocks(0)).isEqualTo(1);
    assertThat(Sha256Kind.blocks(55)).isEqualTo(1);
    assertThat(Sha256Kind.blocks(56)).isEqualTo(2);
    assertThat(Sha256Kind.blocks(80)).isEqualTo(2);
    assertThat(kind.costUnits(Sha256Input.of(Bytes.EMPTY, Bytes.of(new byte[64])))).isEqualTo(3);
  }

  @Test
  void badInputNamesFieldAndLimit() {
    assertInvalid(() -> new Sha256Input(List.of()), "sha256.messages", "non-empty");
    assertInvalid(
        () -> new Sha256Input(Collections.nCopies(65_537, Bytes.EMPTY)),
        "sha256.messages",
        "65536");
    assertInvalid(
        () -> Sha256Input.of(Bytes.EMPTY, Bytes.of(new byte[(1 << 20) + 1])),
        "sha256.messages[1]",
        "1048576");
    assertInvalid(
        () -> new Sha256Input(Collections.nCopies(33, Bytes.of(new byte[1 << 20]))),
        "sha256.messages",
        "32 MiB");
    // a length prefix claiming 2 MiB is refused before anything is allocated
    Bytes forged = Bytes.fromHex("01" + "00000001" + "00200000");
    assertInvalid(() -> kind.inputCodec().decode(forged), "sha256.messages[0]", "1048576");
    assertInvalid(
        () -> kind.inputCodec().decode(Bytes.fromHex("01" + "00000000")),
        "sha256.messages",
        "[1, 65536]");
    assertInvalid(
        () -> kind.inputCodec().decode(Bytes.fromHex("01" + "00000001" + "00000004" + "aa")),
        "sha256.messages[0]",
        "truncated");
    assertInvalid(() -> kind.inputCodec().decode(Bytes.fromHex("02")), "sha256.version", "1");
    Bytes good = kind.inputCodec().encode(Sha256Input.of(Bytes.EMPTY));
    assertInvalid(
        () -> kind.inputCodec().decode(Bytes.fromHex(good.toHex() + "00")), "sha256", "trailing");
    assertInvalid(
        () -> new Sha256Output(List.of(Bytes.of(new byte[31]))), "sha256.digests[0]", "32");
  }

  @Test
  void cheapCheckConfirmsSmallBatchesAndRefutesWrongDigests() {
    Sha256Input small = Sha256Input.of(ascii("a"), ascii("b"));
    Sha256Output right = Sha256Kind.compute(small);
    assertThat(kind.cheapCheck(small, right)).isEqualTo(Verdict.CONFIRMED);
    Sha256Output wrong = new Sha256Output(List.of(right.digests().get(0), right.digests().get(0)));
    assertThat(kind.cheapCheck(small, wrong)).isEqualTo(Verdict.REFUTED);
    assertThat(kind.cheapCheck(small, new Sha256Output(List.of(right.digests().get(0)))))
        .isEqualTo(Verdict.REFUTED);

    List<Bytes> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(ascii("m" + i));
    }
    Sha256Input big = new Sha256Input(many);
    Sha256Output bigRight = Sha256Kind.compute(big);
    assertThat(kind.cheapCheck(big, bigRight)).isEqualTo(Verdict.UNCHECKED);
    // every digest wrong: any sample sees it
    List<Bytes> garbage = new ArrayList<>(Collections.nCopies(100, Bytes.of(new byte[32])));
    assertThat(kind.cheapCheck(big, new Sha256Output(garbage))).isEqualTo(Verdict.REFUTED);
    // the same task and output always sample the same positions
    assertThat(kind.cheapCheck(big, bigRight)).isEqualTo(kind.cheapCheck(big, bigRight));
  }
}
