package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementBatch;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementReceipt;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.ledger.SignedSettlement;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SettlementChain} must keep, as an abstract JUnit 5 suite. A chain
 * implementation subclasses it and overrides {@link #createChain} and {@link #balanceOf} (and, for
 * chains whose payees are not EVM addresses, {@link #newPayee} and {@link #invalidPayee}; for
 * chains that do not produce blocks on their own, {@link #advance}).
 *
 * <p>Checked: a batch is paid and confirmed; resending the same signed bytes never pays twice; a
 * different batch under an idempotency key already paid is refused with CHAIN_REJECTED; a signed
 * but never sent transaction is unknown to the chain (SIGNED); bad input is refused with
 * INVALID_ARGUMENT. Every test uses fresh payees and a random epoch, so the suite may run against a
 * long-lived chain.
 *
 * <p>Not thread-safe; JUnit runs each test on one thread. Tests block while waiting for
 * confirmations, up to {@link #confirmationTimeout}.
 *
 * @since 0.1.0
 */
public abstract class SettlementChainContractTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The chain under test, created before each test and closed after it. */
  protected SettlementChain chain;

  /**
   * Creates the chain under test, ready to sign and send.
   *
   * @return a new chain client
   */
  protected abstract SettlementChain createChain();

  /**
   * Reads what a payee holds on the chain, in the chain's smallest unit.
   *
   * @param chain the chain from {@link #createChain}
   * @param address a payee from {@link #newPayee}
   * @return its balance
   */
  protected abstract BigInteger balanceOf(SettlementChain chain, String address);

  /**
   * A fresh payee address the chain can pay. Default: a random EVM address.
   *
   * @return an address nobody has paid yet
   */
  protected String newPayee() {
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    return "0x" + HexFormat.of().formatHex(b);
  }

  /**
   * An address the chain cannot pay.
   *
   * @return an invalid payee
   */
  protected String invalidPayee() {
    return "not-an-address";
  }

  /**
   * Lets the chain make progress while a test waits for a confirmation (for example mines a block).
   * Default: nothing.
   *
   * @param chain the chain
   */
  protected void advance(SettlementChain chain) {}

  /**
   * How long a test waits for a transaction to become final.
   *
   * @return the timeout; default 60 seconds
   */
  protected Duration confirmationTimeout() {
    return Duration.ofSeconds(60);
  }

  @BeforeEach
  void openChain() {
    chain = createChain();
  }

  @AfterEach
  void closeChain() {
    if (chain != null) {
      chain.close();
    }
  }

  /** A batch for this chain with a random epoch, so keys never collide between runs. */
  protected SettlementBatch batch(List<Payout> payouts) {
    long epoch = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
    return SettlementBatch.of(epoch, chain.id(), 0, payouts, Bytes.wrap(new byte[32]));
  }

  /**
   * Polls the chain until the settlement is final (CONFIRMED or REJECTED), calling {@link #advance}
   * between polls; fails the test on timeout.
   *
   * @param signed the settlement
   * @return the final receipt
   */
  protected SettlementReceipt awaitFinal(SignedSettlement signed) {
    long deadline = System.nanoTime() + confirmationTimeout().toNanos();
    SettlementReceipt last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = chain.status(signed);
        if (last.state().isTerminal()) {
          return last;
        }
      } catch (PoolException e) {
        if (!e.retryable()) {
          throw e;
        }
      }
      advance(chain);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    return fail("not final after " + confirmationTimeout() + "; last status " + last);
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  private void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).as("the field at fault is named").isNotBlank();
            });
  }

  /** Paying a batch. */
  @Nested
  class Paying {
    @Test
    void aBatchIsPaidAndConfirmed() {
      String a = newPayee();
      String b = newPayee();
      SettlementBatch batch = batch(List.of(new Payout(a, big(1000)), new Payout(b, big(2500))));
      SignedSettlement signed = chain.sign(batch);
      assertThat(signed.batch()).isEqualTo(batch);
      assertThat(signed.signedBytes().isEmpty()).isFalse();

      SettlementReceipt sent = chain.send(signed);
      assertThat(sent.idempotencyKey()).isEqualTo(batch.idempotencyKey());
      assertThat(sent.state()).isIn(SettlementState.SUBMITTED, SettlementState.CONFIRMED);

      SettlementReceipt done = awaitFinal(signed);
      assertThat(done.state()).isEqualTo(SettlementState.CONFIRMED);
      assertThat(done.transactionId()).isEqualTo(signed.transactionId());
      assertThat(done.blockNumber()).isNotNegative();
      assertThat(balanceOf(chain, a)).isEqualTo(big(1000));
      assertThat(balanceOf(chain, b)).isEqualTo(big(2500));
    }

    @Test
    void signingAloneSendsNothing() {
      String a = newPayee();
      SignedSettlement signed = chain.sign(batch(List.of(new Payout(a, big(7)))));
      advance(chain);
      assertThat(balanceOf(chain, a)).isZero();
    }
  }

  /** Idempotency: nothing is paid twice. */
  @Nested
  class Idempotency {
    @Test
    void resendingTheSameSignedBytesDoesNotPayTwice() {
      String a = newPayee();
      SignedSettlement signed = chain.sign(batch(List.of(new Payout(a, big(42)))));
      chain.send(signed);
      chain.send(signed); // a resend before the first is final
      assertThat(awaitFinal(signed).state()).isEqualTo(SettlementState.CONFIRMED);
      SettlementReceipt again = chain.send(signed); // and after
      assertThat(again.state()).isIn(SettlementState.SUBMITTED, SettlementState.CONFIRMED);
      advance(chain);
      assertThat(awaitFinal(signed).state()).isEqualTo(SettlementState.CONFIRMED);
      assertThat(balanceOf(chain, a)).isEqualTo(big(42));
    }

    @Test
    void anotherBatchUnderAnIdempotencyKeyAlreadyPaidIsRefused() {
      String a = newPayee();
      String b = newPayee();
      SettlementBatch first = batch(List.of(new Payout(a, big(10))));
      SignedSettlement paid = chain.sign(first);
      chain.send(paid);
      assertThat(awaitFinal(paid).state()).isEqualTo(SettlementState.CONFIRMED);

      SettlementBatch other =
          SettlementBatch.of(
              first.epoch(),
              first.chain(),
              first.batchIndex(),
              List.of(new Payout(b, big(99))),
              first.merkleRoot());
      assertThat(other.idempotencyKey()).isEqualTo(first.idempotencyKey());
      try {
        SignedSettlement again = chain.sign(other);
        SettlementReceipt r = chain.send(again);
        if (r.state() != SettlementState.REJECTED) {
          assertThat(awaitFinal(again).state())
              .as("a second batch under a paid key")
              .isEqualTo(SettlementState.REJECTED);
        }
      } catch (PoolException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_REJECTED);
      }
      advance(chain);
      assertThat(balanceOf(chain, b)).isZero();
      assertThat(balanceOf(chain, a)).isEqualTo(big(10));
    }
  }

  /** Asking about transactions. */
  @Nested
  class Status {
    @Test
    void aTransactionNeverSentIsUnknownToTheChain() {
      SignedSettlement signed = chain.sign(batch(List.of(new Payout(newPayee(), big(5)))));
      SettlementReceipt r = chain.status(signed);
      assertThat(r.state()).isEqualTo(SettlementState.SIGNED);
      assertThat(r.idempotencyKey()).isEqualTo(signed.batch().idempotencyKey());
      assertThat(r.blockNumber()).isEqualTo(-1);
    }

    @Test
    void statusOfAConfirmedTransactionStaysConfirmed() {
      SignedSettlement signed = chain.sign(batch(List.of(new Payout(newPayee(), big(5)))));
      chain.send(signed);
      SettlementReceipt first = awaitFinal(signed);
      assertThat(chain.status(signed)).isEqualTo(first);
    }
  }

  /** Bad input is refused with INVALID_ARGUMENT naming the field. */
  @Nested
  class BadInput {
    @Test
    void aBatchOverTheChainsLimitIsRefused() {
      int limit = chain.maxPayoutsPerBatch();
      assertThat(limit).isBetween(1, SettlementBatch.MAX_PAYOUTS);
      if (limit < SettlementBatch.MAX_PAYOUTS) {
        List<Payout> payouts = new java.util.ArrayList<>();
        for (int i = 0; i <= limit; i++) {
          payouts.add(new Payout(newPayee(), big(1)));
        }
        assertInvalid(() -> chain.sign(batch(payouts)));
      }
    }

    @Test
    void nullIsRefused() {
      assertInvalid(() -> chain.sign(null));
      assertInvalid(() -> chain.send(null));
      assertInvalid(() -> chain.status(null));
    }

    @Test
    void aBatchForAnotherChainIsRefused() {
      SettlementBatch other =
          SettlementBatch.of(
              1, chain.id() + "-other", 0, List.of(new Payout(newPayee(), big(1))), Bytes.EMPTY);
      assertInvalid(() -> chain.sign(other));
    }

    @Test
    void anEmptyBatchIsRefused() {
      assertInvalid(() -> chain.sign(batch(List.of())));
    }

    @Test
    void aZeroAmountIsRefused() {
      assertInvalid(() -> chain.sign(batch(List.of(new Payout(newPayee(), BigInteger.ZERO)))));
    }

    @Test
    void anInvalidPayeeIsRefused() {
      assertInvalid(() -> chain.sign(batch(List.of(new Payout(invalidPayee(), big(1))))));
    }

    @Test
    void bytesThatDoNotMatchTheBatchAreNeverPaid() {
      String a = newPayee();
      String b = newPayee();
      SignedSettlement forA = chain.sign(batch(List.of(new Payout(a, big(3)))));
      SettlementBatch forB = batch(List.of(new Payout(b, big(3))));
      SignedSettlement forged =
          new SignedSettlement(forB, forA.transactionId(), forA.signedBytes());
      try {
        chain.send(forged);
      } catch (PoolException e) {
        assertThat(e.code()).isIn(ErrorCode.INVALID_ARGUMENT, ErrorCode.CHAIN_REJECTED);
      }
      advance(chain);
      assertThat(balanceOf(chain, b)).isZero();
    }
  }
}
