package io.poolforge.transport.grpc.internal;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.LaneHello;
import io.poolforge.transport.grpc.v1.Registered;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.util.ArrayDeque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's end of a worker's urgent lane ({@code WorkerLink.UrgentLane}): a second small
 * stream that carries the assignments of priority {@code HIGH} and above to the worker and any
 * results back, so that they do not queue behind bulk assignments and results on the worker's main
 * stream ({@link WorkerStream}).
 *
 * <p>The caller passed the same authentication as any worker (the transport's interceptor); its
 * first message must be {@code lane_hello} naming a registered worker and the lane key that
 * worker's main stream was given, and it must have authenticated as that stream did (same token
 * kind or client certificate). Anything else ends the call with UNAUTHENTICATED before any other
 * message is read, and touches no worker. Once bound, it acknowledges with {@code Registered}, and
 * each result message is handed to its {@link WorkerStream}, which applies the same rate limit,
 * size limit, lease check and (through the session) signature check as on the main stream; a bad
 * message ends the worker's connection, both streams.
 *
 * <p>Flow control: it reads one message at a time ({@code request(1)} after each is handled); what
 * it sends is bounded by the worker's credit (assignments count against the credit the main stream
 * holds) and written only while the call is ready.
 *
 * <p>Thread-safe; never blocks except briefly on the worker's session lock.
 */
public final class UrgentLane implements StreamObserver<WorkerMessage> {
  private final ServerCallStreamObserver<CoordinatorMessage> out;
  private final Map<String, WorkerStream> byWorker;
  private final @Nullable String principal;
  private final Object lock = new Object();
  private final ArrayDeque<CoordinatorMessage> pending = new ArrayDeque<>();
  private volatile @Nullable WorkerStream owner;
  private boolean closed;

  /**
   * Wires the lane. Must be called inside the service method, before it returns.
   *
   * @param out the outbound observer
   * @param config the settings
   * @param byWorker registered main streams by worker id
   */
  public UrgentLane(
      ServerCallStreamObserver<CoordinatorMessage> out,
      ServerConfig config,
      Map<String, WorkerStream> byWorker) {
    this.out = out;
    this.byWorker = byWorker;
    this.principal = AuthInterceptor.PRINCIPAL.get();
    out.disableAutoRequest();
    if (config.compression() != null) {
      out.setCompression(config.compression());
    }
    out.setOnReadyHandler(this::drain);
    out.setOnCancelHandler(this::gone);
    out.request(1);
  }

  @Override
  public void onNext(WorkerMessage message) {
    WorkerStream stream = owner;
    if (stream == null) {
      hello(message);
      return;
    }
    stream.onLaneMessage(message);
    synchronized (lock) {
      if (!closed) {
        out.request(1);
      }
    }
  }

  private void hello(WorkerMessage message) {
    if (message.getBodyCase() != WorkerMessage.BodyCase.LANE_HELLO) {
      end(
          new PoolException(
              ErrorCode.UNAUTHENTICATED,
              "lane_hello",
              "lane_hello: the first message on an urgent lane must be lane_hello, got "
                  + message.getBodyCase(),
              null));
      return;
    }
    LaneHello h = message.getLaneHello();
    WorkerStream stream = byWorker.get(h.getWorkerId());
    if (stream == null || !stream.attach(this, principal, h.getKey().toByteArray())) {
      end(
          new PoolException(
              ErrorCode.UNAUTHENTICATED,
              "lane_hello",
              "lane_hello: no worker '"
                  + h.getWorkerId()
                  + "' is connected with this lane key and these credentials",
              null));
      return;
    }
    owner = stream;
    synchronized (lock) {
      pending.addFirst(
          CoordinatorMessage.newBuilder()
              .setRegistered(Registered.newBuilder().setProtocol(Wire.PROTOCOL))
              .build());
      drainLocked();
      if (!closed) {
        out.request(1);
      }
    }
  }

  /**
   * Queues a message for the worker (assignments, bounded by the worker's credit).
   *
   * @param message the message
   */
  void send(CoordinatorMessage message) {
    synchronized (lock) {
      if (closed) {
        throw new PoolException(ErrorCode.UNAVAILABLE, "the urgent lane is closed");
      }
      pending.add(message);
      drainLocked();
    }
  }

  /**
   * Ends the lane: with {@code reason}, or cleanly when null.
   *
   * @param reason the status to send, or null
   */
  void end(@Nullable PoolException reason) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      pending.clear();
      try {
        if (reason == null) {
          out.onCompleted();
        } else {
          out.onError(Errors.toStatus(reason));
        }
      } catch (IllegalStateException alreadyClosed) {
        // the call ended concurrently
      }
    }
    WorkerStream stream = owner;
    if (stream != null) {
      stream.detach(this);
    }
  }

  private void gone() {
    synchronized (lock) {
      closed = true;
      pending.clear();
    }
    WorkerStream stream = owner;
    if (stream != null) {
      stream.detach(this);
    }
  }

  @Override
  public void onError(Throwable t) {
    gone();
  }

  @Override
  public void onCompleted() {
    end(null);
  }

  private void drain() {
    synchronized (lock) {
      drainLocked();
    }
  }

  private void drainLocked() {
    while (!closed && !pending.isEmpty() && out.isReady()) {
      CoordinatorMessage m = pending.poll();
      out.onNext(m);
    }
  }
}
