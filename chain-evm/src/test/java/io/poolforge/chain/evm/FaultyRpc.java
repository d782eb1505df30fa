package io.poolforge.chain.evm;

import io.reactivex.Flowable;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.websocket.events.Notification;

/**
 * A real HTTP connection to the node that loses responses on purpose: the request reaches the
 * chain, the answer never reaches the caller (as when a proxy times out after forwarding). Not a
 * mock: every request is executed by the real node.
 */
final class FaultyRpc implements Web3jService {
  private final Web3jService delegate;
  private final AtomicInteger sendRawResponsesToLose;
  final AtomicInteger sendRawCalls = new AtomicInteger();

  FaultyRpc(Web3jService delegate, int sendRawResponsesToLose) {
    this.delegate = delegate;
    this.sendRawResponsesToLose = new AtomicInteger(sendRawResponsesToLose);
  }

  @Override
  public <T extends Response> T send(Request request, Class<T> responseType) throws IOException {
    T response = delegate.send(request, responseType);
    if ("eth_sendRawTransaction".equals(request.getMethod())) {
      sendRawCalls.incrementAndGet();
      if (sendRawResponsesToLose.getAndDecrement() > 0) {
        throw new IOException("response lost on purpose after the node took the request");
      }
    }
    return response;
  }

  @Override
  public <T extends Response> CompletableFuture<T> sendAsync(Request request, Class<T> type) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return send(request, type);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Override
  public BatchResponse sendBatch(BatchRequest batch) throws IOException {
    return delegate.sendBatch(batch);
  }

  @Override
  public CompletableFuture<BatchResponse> sendBatchAsync(BatchRequest batch) {
    return delegate.sendBatchAsync(batch);
  }

  @Override
  public <T extends Notification<?>> Flowable<T> subscribe(
      Request request, String unsubscribeMethod, Class<T> responseType) {
    return delegate.subscribe(request, unsubscribeMethod, responseType);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
