package io.poolforge.chain.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One compiled contract as written by {@code scripts/compile.js}: ABI and creation bytecode, read
 * from the classpath. Immutable and thread-safe; loading reads a resource (blocks briefly).
 */
record ContractArtifact(String name, JsonNode abi, String bytecode) {

  static final String PAYOUTS = "PoolPayouts";
  static final String REWARDS = "PoolRewards";
  static final String HASH_CHECK = "HashCheck";
  static final String TEST_TOKEN = "PoolTestToken";

  private static final ObjectMapper JSON = new ObjectMapper();

  static ContractArtifact load(String name) {
    String resource = name + ".json";
    try (InputStream in = ContractArtifact.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "compiled contract "
                + resource
                + " is not on the classpath (io/poolforge/chain/evm/); run"
                + " `node scripts/compile.js` in chain-evm");
      }
      JsonNode json = JSON.readTree(in);
      return new ContractArtifact(name, json.get("abi"), json.get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read compiled contract " + resource, e);
    }
  }
}
