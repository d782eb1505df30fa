package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementChainProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderTest {
  private static Map<String, String> config() {
    Map<String, String> c = new HashMap<>();
    c.put("rpcUrl", "http://127.0.0.1:1");
    c.put("chainId", "31337");
    c.put("privateKey", HardhatNode.DEV_KEYS.get(0));
    c.put("payoutsContract", "0x3333333333333333333333333333333333333333");
    c.put("token", "0x2222222222222222222222222222222222222222");
    return c;
  }

  private static SettlementChainProvider provider() {
    return ServiceLoader.load(SettlementChainProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.id().equals("evm"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no evm SettlementChainProvider on the classpath"));
  }

  @Test
  void foundByServiceLoaderAndAvailable() {
    SettlementChainProvider p = provider();
    assertThat(p).isInstanceOf(EvmSettlementChainProvider.class);
    assertThat(p.isAvailable()).isTrue();
    try (SettlementChain chain = p.create(config())) {
      assertThat(chain.id()).isEqualTo("evm:31337");
    }
  }

  @Test
  void keyFromFile(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("payer.key");
    Files.writeString(key, HardhatNode.DEV_KEYS.get(0) + "\n");
    Map<String, String> c = config();
    c.remove("privateKey");
    c.put("privateKeyFile", key.toString());
    try (SettlementChain chain = provider().create(c)) {
      assertThat(((EvmSettlementChain) chain).payerAddress())
          .isEqualToIgnoringCase("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }
  }

  @Test
  void badSettingsAreNamed() {
    Map<String, String> typo = config();
    typo.put("rpcURL", "x");
    assertField(typo, "config.rpcURL");

    Map<String, String> missing = config();
    missing.remove("chainId");
    assertField(missing, "config.chainId");

    Map<String, String> bothKeys = config();
    bothKeys.put("privateKeyFile", "/nonexistent");
    assertField(bothKeys, "config.privateKey");

    Map<String, String> badNumber = config();
    badNumber.put("confirmations", "many");
    assertField(badNumber, "config.confirmations");
  }

  private static void assertField(Map<String, String> c, String field) {
    assertThatThrownBy(() -> provider().create(c))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo(field);
            });
  }
}
