package io.poolforge.chain.evm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The JSON-RPC calls the settlement path needs, with failures mapped to {@link PoolException}:
 * network errors are UNAVAILABLE (retryable), a node's refusal keeps the node's message and, for
 * reverts, the revert data. Thread-safe (web3j's HTTP service is); every method blocks on I/O.
 */
final class EvmRpc implements AutoCloseable {

  /** What a node answered to a call or estimate that may revert. */
  record CallOutcome(
      boolean reverted,
      @Nullable String result,
      @Nullable String revertData,
      @Nullable String message) {}

  /** What a node answered to eth_sendRawTransaction. */
  record SendOutcome(boolean accepted, @Nullable String error) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Web3jService service;
  private final Web3j web3j;
  private final String endpoint;

  EvmRpc(Web3jService service, String endpoint) {
    this.service = service;
    this.web3j = Web3j.build(service);
    this.endpoint = endpoint;
  }

  long chainId() {
    return ok("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
  }

  BigInteger nonce(String address, DefaultBlockParameter block) {
    return ok("eth_getTransactionCount", web3j.ethGetTransactionCount(address, block))
        .getTransactionCount();
  }

  EthBlock.Block block(DefaultBlockParameter block) {
    EthBlock.Block b =
        ok("eth_getBlockByNumber", web3j.ethGetBlockByNumber(block, false)).getBlock();
    if (b == null) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "rpc " + endpoint + ": eth_getBlockByNumber(" + block.getValue() + ") returned no block");
    }
    return b;
  }

  BigInteger maxPriorityFeePerGas() {
    return ok("eth_maxPriorityFeePerGas", web3j.ethMaxPriorityFeePerGas())
        .getMaxPriorityFeePerGas();
  }

  CallOutcome call(Transaction tx, DefaultBlockParameter block) {
    var response = send("eth_call", web3j.ethCall(tx, block));
    if (response.hasError()) {
      return reverted(response.getError());
    }
    return new CallOutcome(false, response.getValue(), null, null);
  }

  CallOutcome estimateGas(Transaction tx) {
    var response = send("eth_estimateGas", web3j.ethEstimateGas(tx));
    if (response.hasError()) {
      return reverted(response.getError());
    }
    return new CallOutcome(false, response.getResult(), null, null);
  }

  SendOutcome sendRaw(String signedHex) {
    var response = send("eth_sendRawTransaction", web3j.ethSendRawTransaction(signedHex));
    if (response.hasError()) {
      return new SendOutcome(false, response.getError().getMessage());
    }
    return new SendOutcome(true, null);
  }

  Optional<TransactionReceipt> receipt(String hash) {
    return ok("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(hash))
        .getTransactionReceipt();
  }

  boolean knowsTransaction(String hash) {
    return ok("eth_getTransactionByHash", web3j.ethGetTransactionByHash(hash))
        .getTransaction()
        .isPresent();
  }

  private static CallOutcome reverted(Response.Error error) {
    return new CallOutcome(true, null, revertData(error.getData()), error.getMessage());
  }

  /** Nodes put revert data in error.data as a hex string, or as an object with a data field. */
  static @Nullable String revertData(@Nullable String data) {
    if (data == null || data.isBlank()) {
      return null;
    }
    String d = data.strip();
    if (d.startsWith("\"")) {
      d = d.substring(1, d.length() - 1);
    }
    if (d.startsWith("0x")) {
      return d;
    }
    try {
      JsonNode node = JSON.readTree(d);
      JsonNode inner = node.path("data");
      if (inner.isTextual() && inner.asText().startsWith("0x")) {
        return inner.asText();
      }
      if (inner.isObject()) {
        return revertData(inner.toString());
      }
    } catch (IOException notJson) {
      // fall through: no usable revert data
    }
    return null;
  }

  private <T extends Response<?>> T ok(String method, Request<?, T> request) {
    T response = send(method, request);
    if (response.hasError()) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "rpc " + endpoint + ": " + method + " failed: " + response.getError().getMessage());
    }
    return response;
  }

  private <T extends Response<?>> T send(String method, Request<?, T> request) {
    try {
      return request.send();
    } catch (IOException | RuntimeException e) {
      throw new PoolException(
          ErrorCode.UNAVAILABLE, "rpc " + endpoint + ": " + method + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException | RuntimeException e) {
      // closing an HTTP client: nothing left to do
    }
  }
}
