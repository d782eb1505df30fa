package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed artifacts load, and match a fresh solc-js compile of contracts/*.sol. */
class ContractArtifactsTest {

  @Test
  void committedArtifactsAreNotStale() {
    NodeJs.Result result = NodeJs.run("", "scripts/compile.js", "--check");
    assertThat(result.exitCode())
        .as("compile.js --check: %s %s", result.stdout(), result.stderr())
        .isZero();
    assertThat(result.stdout()).contains("PoolPayouts.json").contains("PoolRewards.json");
  }

  @Test
  void artifactsCarryAbiAndBytecode() {
    for (String name :
        List.of(
            ContractArtifact.PAYOUTS,
            ContractArtifact.REWARDS,
            ContractArtifact.HASH_CHECK,
            ContractArtifact.TEST_TOKEN)) {
      ContractArtifact a = ContractArtifact.load(name);
      assertThat(a.bytecode()).as(name).startsWith("0x60").hasSizeGreaterThan(200);
      List<String> functions = new ArrayList<>();
      a.abi().forEach(item -> functions.add(item.path("name").asText()));
      assertThat(functions).as(name).isNotEmpty();
    }
    List<String> payouts = new ArrayList<>();
    ContractArtifact.load(ContractArtifact.PAYOUTS)
        .abi()
        .forEach(item -> payouts.add(item.path("name").asText()));
    assertThat(payouts).contains("pay", "isPaid", "AlreadyPaid", "BatchPaid");
  }

  @Test
  void revertDecoderNamesCustomErrorsAndStrings() {
    RevertDecoder decoder = RevertDecoder.forBundledContracts();
    // AlreadyPaid(bytes32) = 0x... selector computed from the ABI; build the data the same way
    String selector = org.web3j.crypto.Hash.sha3String("AlreadyPaid(bytes32)").substring(0, 10);
    String data = selector + "ab".repeat(32);
    assertThat(decoder.decode(data))
        .isEqualTo("AlreadyPaid(settlementId=0x" + "ab".repeat(32) + ")");
    // Error("boom")
    String error =
        "0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "626f6f6d00000000000000000000000000000000000000000000000000000000";
    assertThat(decoder.decode(error)).isEqualTo("boom");
    assertThat(decoder.decode("0x")).isEqualTo("reverted without a reason");
    assertThat(decoder.decode("0xdeadbeef")).startsWith("unknown revert 0xdeadbeef");
  }
}
