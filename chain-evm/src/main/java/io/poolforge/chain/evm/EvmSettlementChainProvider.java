package io.poolforge.chain.evm;

import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.ledger.SettlementChain;
import io.poolforge.compute.api.ledger.SettlementChainProvider;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds {@link EvmSettlementChain} through {@link java.util.ServiceLoader} under the id {@code
 * "evm"}. Settings of {@link #create}:
 *
 * <ul>
 *   <li>{@code rpcUrl} (required): the node's JSON-RPC HTTP URL;
 *   <li>{@code chainId} (required): the EIP-155 chain id the node must report;
 *   <li>{@code privateKey} or {@code privateKeyFile} (one required): the payer's key as hex, or a
 *       file holding it;
 *   <li>{@code payoutsContract} with {@code token} (ERC-20 address) or {@code nativeCoin=true}; or
 *       {@code rewardsContract};
 *   <li>optional: {@code namespace}, {@code confirmations}, {@code maxFeePerGasWei}, {@code
 *       priorityFeePerGasWei}.
 * </ul>
 *
 * <p>Unknown settings are refused, so a typo never goes unnoticed. Thread-safe and stateless;
 * {@link #create} reads {@code privateKeyFile} (blocks briefly) and opens no connection.
 *
 * @since 0.1.0
 */
public final class EvmSettlementChainProvider implements SettlementChainProvider {

  private static final Set<String> KEYS =
      Set.of(
          "rpcUrl",
          "chainId",
          "privateKey",
          "privateKeyFile",
          "payoutsContract",
          "token",
          "nativeCoin",
          "rewardsContract",
          "namespace",
          "confirmations",
          "maxFeePerGasWei",
          "priorityFeePerGasWei");

  /** For {@link java.util.ServiceLoader}. */
  public EvmSettlementChainProvider() {}

  @Override
  public String id() {
    return "evm";
  }

  @Override
  public boolean isAvailable() {
    try {
      Class.forName("org.web3j.protocol.Web3j", false, getClass().getClassLoader());
      return getClass().getResource(ContractArtifact.PAYOUTS + ".json") != null;
    } catch (Throwable e) {
      return false;
    }
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public SettlementChain create(Map<String, String> config) {
    if (config == null) {
      throw PoolException.invalidArgument("config", "is required");
    }
    Set<String> unknown = new TreeSet<>(config.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw PoolException.invalidArgument(
          "config." + unknown.iterator().next(),
          "is not a setting of the evm settlement chain; known: " + new TreeSet<>(KEYS));
    }
    EvmSettlementChain.Builder b = EvmSettlementChain.builder();
    b.rpcUrl(required(config, "rpcUrl"));
    b.chainId(parseLong(required(config, "chainId"), "chainId"));
    String key = config.get("privateKey");
    String keyFile = config.get("privateKeyFile");
    if ((key == null) == (keyFile == null)) {
      throw PoolException.invalidArgument(
          "config.privateKey", "set exactly one of privateKey and privateKeyFile");
    }
    b.privateKey(key != null ? key : readKey(keyFile));
    if (config.containsKey("payoutsContract")) {
      b.payoutsContract(config.get("payoutsContract"));
    }
    if (config.containsKey("rewardsContract")) {
      b.rewardsContract(config.get("rewardsContract"));
    }
    if (config.containsKey("token")) {
      b.token(config.get("token"));
    }
    String nativeCoin = config.get("nativeCoin");
    if (nativeCoin != null) {
      if (!nativeCoin.equals("true") && !nativeCoin.equals("false")) {
        throw PoolException.invalidArgument(
            "config.nativeCoin", "is \"" + nativeCoin + "\", must be true or false");
      }
      if (nativeCoin.equals("true")) {
        b.nativeCoin();
      }
    }
    if (config.containsKey("namespace")) {
      b.namespace(config.get("namespace"));
    }
    if (config.containsKey("confirmations")) {
      b.confirmations((int) parseLong(config.get("confirmations"), "confirmations"));
    }
    if (config.containsKey("maxFeePerGasWei")) {
      b.maxFeePerGas(parseBig(config.get("maxFeePerGasWei"), "maxFeePerGasWei"));
    }
    if (config.containsKey("priorityFeePerGasWei")) {
      b.priorityFeePerGas(parseBig(config.get("priorityFeePerGasWei"), "priorityFeePerGasWei"));
    }
    return b.build();
  }

  private static String required(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null || v.isBlank()) {
      throw PoolException.invalidArgument("config." + key, "is required");
    }
    return v.strip();
  }

  private static long parseLong(String v, String key) {
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw PoolException.invalidArgument("config." + key, "is \"" + v + "\", must be an integer");
    }
  }

  private static BigInteger parseBig(String v, String key) {
    try {
      return new BigInteger(v.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw PoolException.invalidArgument(
          "config." + key, "is \"" + v + "\", must be a decimal integer in wei");
    }
  }

  private static String readKey(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII).strip();
    } catch (IOException | RuntimeException e) {
      throw PoolException.invalidArgument(
          "config.privateKeyFile", "cannot be read (" + file + "): " + e.getMessage());
    }
  }
}
