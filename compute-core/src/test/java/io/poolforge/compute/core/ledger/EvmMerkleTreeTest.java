package io.poolforge.compute.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvmMerkleTreeTest {
  private static final String A = "0x1111111111111111111111111111111111111111";
  private static final String B = "0x2222222222222222222222222222222222222222";

  @Test
  void matchesOpenZeppelinReadmeExample() {
    // the example of @openzeppelin/merkle-tree's README; root as printed by the library
    EvmMerkleTree tree =
        EvmMerkleTree.of(
            List.of(
                new Payout(A, new BigInteger("5000000000000000000")),
                new Payout(B, new BigInteger("2500000000000000000"))));
    assertThat(tree.root().toHex())
        .isEqualTo("d4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77");
    assertThat(tree.proof(A))
        .containsExactly(
            Bytes.fromHex("b92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc"));
  }

  @Test
  void singleLeafIsTheRootWithAnEmptyProof() {
    EvmMerkleTree tree = EvmMerkleTree.of(List.of(new Payout(A, BigInteger.TEN)));
    assertThat(tree.root()).isEqualTo(EvmMerkleTree.leafHash(A, BigInteger.TEN));
    assertThat(tree.proof(A)).isEmpty();
  }

  @Test
  void everyProofVerifiesAndWrongAmountsDoNot() {
    Random random = new Random(7);
    List<Payout> payouts = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      payouts.add(new Payout(randomAddress(random), BigInteger.valueOf(1 + random.nextInt(1000))));
    }
    payouts.add(
        new Payout(randomAddress(random), BigInteger.TWO.pow(256).subtract(BigInteger.ONE)));
    EvmMerkleTree tree = EvmMerkleTree.of(payouts);
    for (Payout p : payouts) {
      List<Bytes> proof = tree.proof(p.address());
      assertThat(EvmMerkleTree.verify(tree.root(), p.address(), p.amount(), proof)).isTrue();
      assertThat(
              EvmMerkleTree.verify(tree.root(), p.address(), p.amount().xor(BigInteger.ONE), proof))
          .isFalse();
    }
    assertThat(tree.proofs()).hasSize(payouts.size());
  }

  @Test
  void leafEncodingIsAbiEncodeThenDoubleKeccak() {
    byte[] encoded = new byte[64];
    java.util.Arrays.fill(encoded, 12, 32, (byte) 0x11);
    encoded[63] = 42;
    Bytes expected = Bytes.wrap(Keccak256.digest(Keccak256.digest(encoded)));
    assertThat(EvmMerkleTree.leafHash(A, BigInteger.valueOf(42))).isEqualTo(expected);
  }

  @Test
  void rejectsNonEvmAddressesNamingTheEntry() {
    assertThatThrownBy(
            () ->
                EvmMerkleTree.of(
                    List.of(
                        new Payout(A, BigInteger.ONE),
                        new Payout("UQ-ton-address", BigInteger.ONE))))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("payouts[1].address");
            });
  }

  @Test
  void rejectsEmptyAndRepeatedAddresses() {
    assertThatThrownBy(() -> EvmMerkleTree.of(List.of()))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("payouts"));
    assertThatThrownBy(
            () ->
                EvmMerkleTree.of(
                    List.of(
                        new Payout(A, BigInteger.ONE),
                        new Payout(A.toUpperCase().replace("0X", "0x"), BigInteger.TWO))))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.field()).isEqualTo("payouts[1].address"))
        .hasMessageContaining("repeats payouts[0]");
  }

  @Test
  void unknownAddressIsNotFound() {
    EvmMerkleTree tree = EvmMerkleTree.of(List.of(new Payout(A, BigInteger.ONE)));
    assertThatThrownBy(() -> tree.proof(B))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void hashesSharingLeadingBitsAreOrderedByTheFullHash() {
    Random random = new Random(3);
    byte[][] hashes = new byte[300][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = new byte[32];
      random.nextBytes(hashes[i]);
      if (i % 3 != 0) {
        // many hashes share their first 10 bytes with hash 0 and differ only further on
        System.arraycopy(hashes[0], 0, hashes[i], 0, 10);
      }
      if (i % 7 == 0) {
        hashes[i][0] = (byte) 0xff; // and some sort high as unsigned bytes
      }
    }
    int[] order = EvmMerkleTree.sortedByHash(hashes);
    assertThat(order).hasSize(hashes.length);
    for (int i = 1; i < order.length; i++) {
      assertThat(java.util.Arrays.compareUnsigned(hashes[order[i - 1]], hashes[order[i]]))
          .as("position %d", i)
          .isNegative();
    }
  }

  static String randomAddress(Random random) {
    byte[] b = new byte[20];
    random.nextBytes(b);
    return "0x" + java.util.HexFormat.of().formatHex(b);
  }
}
