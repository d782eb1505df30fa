package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.Payout;
import io.poolforge.compute.api.ledger.SettlementState;
import io.poolforge.compute.api.store.SettlementRecord;
import io.poolforge.store.jdbc.JdbcStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * kill -9 of a settling coordinator on a real Hardhat node: a child JVM ({@link SettleChild}) runs
 * the real {@code Settler} and {@link EvmSettlementChain} on a durable SQLite ledger store, and is
 * killed with SIGKILL right after a settlement step was stored; a second child JVM resumes on the
 * same store. The chain then holds exactly one settlement transaction for the (epoch, chain, batch)
 * — the payer's nonce moved by one and every payee holds its amount once — that transaction's bytes
 * are the bytes signed and stored before the kill, and the ledger's totals equal the sum of the
 * credits.
 */
@RealChain
class SettlementCrashTest {
  private static HardhatNode node;
  private static DevChain dev;
  private static String payouts;

  @TempDir Path dir;

  @BeforeAll
  static void deploy(HardhatNode hardhat) {
    node = hardhat;
    dev = new DevChain(node.url());
    payouts = dev.deploy(DevChain.dev(0), ContractArtifact.PAYOUTS);
  }

  @AfterAll
  static void close() {
    if (dev != null) {
      dev.close();
    }
  }

  /** A payer of its own per test: fresh nonces, its own token, and no replay across tests. */
  private record Payer(Credentials credentials, String token) {}

  private static Payer freshPayer() throws Exception {
    Credentials payer = Credentials.create(Keys.createEcKeyPair());
    TransactionReceipt funded =
        dev.transact(DevChain.dev(0), payer.getAddress(), BigInteger.TEN.pow(20), "0x"); // 100 ETH
    assertThat(funded.isStatusOK()).isTrue();
    String token = dev.deployToken(payer);
    dev.transact(payer, token, "approve", new Address(payouts), new Uint256(DevChain.MAX_UINT));
    return new Payer(payer, token);
  }

  @Test
  void killedRightAfterSignedBytesAreStoredSettlesOnceWithThoseBytes() throws Exception {
    Payer payer = freshPayer();
    String url = "jdbc:sqlite:" + dir.resolve("ledger.db");
    BigInteger nonceBefore = dev.latestNonce(payer.credentials().getAddress());

    runUntilKilled(url, payer, "SIGNED");
    SettlementRecord atKill = onlySettlement(url);
    assertThat(atKill.state()).isEqualTo(SettlementState.SIGNED);
    Bytes signedBytes = atKill.signed().signedBytes();
    assertThat(dev.latestNonce(payer.credentials().getAddress()))
        .as("nothing was sent before the kill")
        .isEqualTo(nonceBefore);

    resume(url, payer);
    assertSettledOnceWith(url, payer, signedBytes, nonceBefore);
  }

  @Test
  void killedAfterSendBeforeConfirmationResendsTheSameBytesOnce() throws Exception {
    Payer payer = freshPayer();
    String url = "jdbc:sqlite:" + dir.resolve("ledger.db");
    BigInteger nonceBefore = dev.latestNonce(payer.credentials().getAddress());
    Bytes signedBytes;
    dev.rpc("evm_setAutomine", false); // the sent transaction waits in the mempool
    try {
      runUntilKilled(url, payer, "SUBMITTED");
      SettlementRecord atKill = onlySettlement(url);
      assertThat(atKill.state()).isEqualTo(SettlementState.SUBMITTED);
      assertThat(atKill.sends()).isEqualTo(1);
      signedBytes = atKill.signed().signedBytes();
      String hash = Numeric.toHexString(atKill.signed().transactionId().toByteArray());
      assertThat(dev.web3j.ethGetTransactionByHash(hash).send().getTransaction())
          .as("the node holds the sent transaction, unmined")
          .isPresent();
      // the node then loses it (a restarted node, an evicted mempool entry): the resumed settler
      // must find it unknown and send the stored bytes again
      dev.rpc("hardhat_dropTransaction", hash);
      assertThat(dev.web3j.ethGetTransactionByHash(hash).send().getTransaction()).isEmpty();
    } finally {
      dev.rpc("evm_setAutomine", true);
    }

    resume(url, payer);
    assertSettledOnceWith(url, payer, signedBytes, nonceBefore);
    assertThat(onlySettlement(url).sends()).as("sent again after the kill").isGreaterThan(1);
  }

  private void assertSettledOnceWith(String url, Payer payer, Bytes signedBytes, BigInteger nonce)
      throws Exception {
    SettlementRecord done = onlySettlement(url);
    assertThat(done.state()).isEqualTo(SettlementState.CONFIRMED);
    assertThat(done.signed().signedBytes())
        .as("the batch was never signed anew")
        .isEqualTo(signedBytes);
    // the transaction on chain is those bytes: its hash is the keccak of the stored bytes
    String hash = Numeric.toHexString(Hash.sha3(signedBytes.toByteArray()));
    assertThat(Numeric.toHexString(done.signed().transactionId().toByteArray())).isEqualTo(hash);
    TransactionReceipt receipt =
        dev.web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().orElseThrow();
    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(dev.latestNonce(payer.credentials().getAddress()))
        .as("exactly one settlement transaction from the payer")
        .isEqualTo(nonce.add(BigInteger.ONE));

    Map<String, BigInteger> credited = new TreeMap<>();
    for (int t = 0; t < SettleChild.TASKS; t++) {
      credited.merge(
          SettleChild.address(t % SettleChild.WORKERS), SettleChild.amount(t), BigInteger::add);
    }
    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      EpochStatement statement = stores.ledger().statement(0).orElseThrow();
      Map<String, BigInteger> totals = new TreeMap<>();
      for (Payout p : done.batch().payouts()) {
        totals.put(p.address(), p.amount());
      }
      assertThat(totals).as("the batch pays the ledger's totals").isEqualTo(credited);
      assertThat(stores.ledger().cumulativeTotals(statement.epoch()))
          .as("ledger totals equal the sum of the credits")
          .isEqualTo(credited);
    }
    for (Map.Entry<String, BigInteger> e : credited.entrySet()) {
      assertThat(dev.balanceOf(payer.token(), e.getKey()))
          .as("paid once to %s", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  private static SettlementRecord onlySettlement(String url) {
    try (JdbcStores stores = JdbcStores.builder().url(url).build()) {
      List<SettlementRecord> all =
          stores.ledger().settlements(EnumSet.allOf(SettlementState.class));
      assertThat(all).as("one batch for the one epoch and chain").hasSize(1);
      return all.get(0);
    }
  }

  private void runUntilKilled(String url, Payer payer, String stopAt) throws Exception {
    Child child = Child.start(dir, "first", url, payer, stopAt);
    try {
      child.await("STOPPED " + stopAt, Duration.ofSeconds(60));
      assertThat(child.lines).contains("CREDITED " + SettleChild.TASKS, "CLOSED 0");
    } finally {
      child.kill();
    }
    assertThat(child.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private void resume(String url, Payer payer) throws Exception {
    Child child = Child.start(dir, "resume", url, payer, "none");
    try {
      child.await("SETTLED", Duration.ofSeconds(60));
      assertThat(child.lines)
          .as("the restart credits the same tasks again: all refused")
          .contains("CREDITED 0");
    } finally {
      child.kill();
    }
  }

  /** A {@link SettleChild} JVM and the lines it printed. */
  private static final class Child {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final Path stderr;

    private Child(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the child died; what it printed is kept
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path dir, String mode, String url, Payer payer, String stopAt)
        throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> cmd =
          new ArrayList<>(
              List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp));
      cmd.add(SettleChild.class.getName());
      cmd.addAll(
          List.of(
              mode,
              url,
              node.url(),
              Numeric.toHexStringWithPrefixZeroPadded(
                  payer.credentials().getEcKeyPair().getPrivateKey(), 64),
              payouts,
              payer.token(),
              stopAt));
      Path err = Files.createTempFile(dir, "settle", ".err");
      return new Child(new ProcessBuilder(cmd).redirectError(err.toFile()).start(), err);
    }

    void await(String line, Duration timeout) throws Exception {
      long end = System.nanoTime() + timeout.toNanos();
      while (!lines.contains(line)) {
        if (System.nanoTime() > end || !process.isAlive()) {
          Thread.sleep(200);
          if (lines.contains(line)) {
            return;
          }
          throw new AssertionError(
              "child printed "
                  + lines
                  + ", not "
                  + line
                  + "; stderr:\n"
                  + Files.readString(stderr));
        }
        Thread.sleep(20);
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL on Linux
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
