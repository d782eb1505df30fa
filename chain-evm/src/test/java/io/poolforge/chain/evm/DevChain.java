package io.poolforge.chain.evm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Test-side access to the Hardhat node with plain web3j: deploys the bundled contracts and sends
 * transactions from Hardhat's development accounts. Independent of {@link EvmSettlementChain}, so
 * it can check what that class did.
 */
final class DevChain implements AutoCloseable {
  static final BigInteger MAX_UINT = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  final String url;
  final Web3j web3j;

  DevChain(String url) {
    this.url = url;
    this.web3j = Web3j.build(new HttpService(url));
  }

  static Credentials dev(int i) {
    return Credentials.create(HardhatNode.DEV_KEYS.get(i));
  }

  String deploy(Credentials from, String contract, Type<?>... constructorArgs) {
    String data =
        ContractArtifact.load(contract).bytecode()
            + (constructorArgs.length == 0
                ? ""
                : FunctionEncoder.encodeConstructor(List.of(constructorArgs)));
    TransactionReceipt r = transact(from, null, BigInteger.ZERO, data);
    assertThat(r.isStatusOK()).as("deploy %s", contract).isTrue();
    return r.getContractAddress();
  }

  TransactionReceipt transact(Credentials from, String to, String function, Type<?>... args) {
    return transact(from, to, BigInteger.ZERO, FunctionEncoder.encode(fn(function, args)));
  }

  /** Signs and sends one EIP-1559 transaction with the next nonce; returns its receipt. */
  TransactionReceipt transact(Credentials from, String to, BigInteger value, String data) {
    return transactWithNonce(from, pendingNonce(from.getAddress()), to, value, data);
  }

  TransactionReceipt transactWithNonce(
      Credentials from, BigInteger nonce, String to, BigInteger value, String data) {
    try {
      BigInteger gas =
          web3j
              .ethEstimateGas(
                  Transaction.createFunctionCallTransaction(
                      from.getAddress(), null, null, null, to, value, data))
              .send()
              .getAmountUsed();
      RawTransaction tx =
          RawTransaction.createTransaction(
              31337,
              nonce,
              gas.multiply(BigInteger.TWO),
              to,
              value,
              data,
              BigInteger.valueOf(1_000_000_000L),
              BigInteger.valueOf(100_000_000_000L));
      String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, from));
      var sent = web3j.ethSendRawTransaction(raw).send();
      if (sent.hasError()) {
        throw new AssertionError("send failed: " + sent.getError().getMessage());
      }
      return web3j
          .ethGetTransactionReceipt(sent.getTransactionHash())
          .send()
          .getTransactionReceipt()
          .orElseThrow(() -> new AssertionError("no receipt (automine off?)"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  BigInteger pendingNonce(String address) {
    try {
      return web3j
          .ethGetTransactionCount(address, DefaultBlockParameterName.PENDING)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  BigInteger latestNonce(String address) {
    try {
      return web3j
          .ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  List<Type> call(String to, Function function) {
    try {
      var r =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(null, to, FunctionEncoder.encode(function)),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (r.hasError()) {
        throw new AssertionError("call reverted: " + r.getError().getMessage());
      }
      return FunctionReturnDecoder.decode(r.getValue(), function.getOutputParameters());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The decoded revert reason of calling {@code data} on {@code to} from {@code from}, or null. */
  String revertReason(String from, String to, String data) {
    try {
      var r =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(from, to, data),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (!r.hasError()) {
        return null;
      }
      return RevertDecoder.forBundledContracts().decode(EvmRpc.revertData(r.getError().getData()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  BigInteger balanceOf(String token, String account) {
    Function f =
        new Function(
            "balanceOf", List.of(new Address(account)), List.of(new TypeReference<Uint256>() {}));
    return (BigInteger) call(token, f).get(0).getValue();
  }

  BigInteger nativeBalance(String account) {
    try {
      return web3j.ethGetBalance(account, DefaultBlockParameterName.LATEST).send().getBalance();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  boolean isPaid(String payouts, String payer, byte[] settlementId) {
    Function f =
        new Function(
            "isPaid",
            List.of(new Address(payer), new Bytes32(settlementId)),
            List.of(new TypeReference<Bool>() {}));
    return (Boolean) call(payouts, f).get(0).getValue();
  }

  /** Sends a raw JSON-RPC request (Hardhat's evm_* methods). */
  void rpc(String method, Object... params) {
    try {
      new org.web3j.protocol.core.Request<>(
              method, List.of(params), new HttpService(url), org.web3j.protocol.core.Response.class)
          .send();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Function fn(String name, Type<?>... args) {
    return new Function(name, List.of(args), List.of());
  }

  /** Deploys a token with a large supply held by {@code owner}. */
  String deployToken(Credentials owner) {
    return deploy(
        owner,
        ContractArtifact.TEST_TOKEN,
        new org.web3j.abi.datatypes.Utf8String("Pool Test"),
        new org.web3j.abi.datatypes.Utf8String("PTT"),
        new Uint256(BigInteger.TEN.pow(30)));
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
