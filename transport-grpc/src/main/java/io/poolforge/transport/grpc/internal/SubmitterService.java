package io.poolforge.transport.grpc.internal;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.transport.grpc.v1.CancelReply;
import io.poolforge.transport.grpc.v1.Event;
import io.poolforge.transport.grpc.v1.EventsRequest;
import io.poolforge.transport.grpc.v1.SubmitReply;
import io.poolforge.transport.grpc.v1.SubmitterGrpc;
import io.poolforge.transport.grpc.v1.TaskRef;
import io.poolforge.transport.grpc.v1.TaskSpec;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Serves submitters by delegating to a compute-api {@link Pool}: a reply to a submission is sent
 * only once the pool reports the task durable; the event stream follows {@link Pool#events()} with
 * back-pressure (one event requested from the pool per event the stream can take).
 *
 * <p>Thread-safe.
 */
public final class SubmitterService extends SubmitterGrpc.SubmitterImplBase {
  /** How many submissions of one SubmitAll stream may await durability at once. */
  static final int WINDOW = 512;

  private final Supplier<@Nullable Pool> pool;
  private final @Nullable String compression;
  private final PayloadCodec payloads;

  /**
   * Creates the service.
   *
   * @param pool the pool, or null until one is attached
   * @param compression the compressor for replies, or null
   * @param payloads the payload codec
   */
  public SubmitterService(
      Supplier<@Nullable Pool> pool, @Nullable String compression, PayloadCodec payloads) {
    this.pool = pool;
    this.compression = compression;
    this.payloads = payloads;
  }

  private Pool pool() {
    Pool p = pool.get();
    if (p == null) {
      throw new PoolException(ErrorCode.UNAVAILABLE, "no pool is attached to this coordinator yet");
    }
    return p;
  }

  private static PoolException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return c instanceof PoolException p
        ? p
        : new PoolException(ErrorCode.INTERNAL, "the pool failed: " + c, c);
  }

  private void compress(StreamObserver<?> out) {
    if (compression != null && out instanceof ServerCallStreamObserver<?> s) {
      s.setCompression(compression);
    }
  }

  private CompletableFuture<SubmitReply> submitOne(TaskSpec request) {
    try {
      return pool()
          .submit(SubmitWire.spec(request, payloads))
          .accepted()
          .handle(
              (id, err) ->
                  err == null
                      ? SubmitReply.newBuilder().setTaskId(id.value()).build()
                      : failed(unwrap(err)));
    } catch (PoolException e) {
      return CompletableFuture.completedFuture(failed(e));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failed(unwrap(e)));
    }
  }

  private static SubmitReply failed(PoolException e) {
    return SubmitReply.newBuilder()
        .setError(
            io.poolforge.transport.grpc.v1.Failure.newBuilder()
                .setCode(e.code().name())
                .setMessage(e.getMessage()))
        .build();
  }

  @Override
  public void submit(TaskSpec request, StreamObserver<SubmitReply> out) {
    compress(out);
    submitOne(request)
        .whenComplete(
            (reply, err) -> {
              if (reply.hasError()) {
                PoolException e =
                    new PoolException(
                        ErrorCode.valueOf(reply.getError().getCode()), strip(reply.getError()));
                out.onError(Errors.toStatus(e));
              } else {
                out.onNext(reply);
                out.onCompleted();
              }
            });
  }

  private static String strip(io.poolforge.transport.grpc.v1.Failure f) {
    String prefix = f.getCode() + ": ";
    return f.getMessage().startsWith(prefix)
        ? f.getMessage().substring(prefix.length())
        : f.getMessage();
  }

  @Override
  public StreamObserver<TaskSpec> submitAll(StreamObserver<SubmitReply> plain) {
    ServerCallStreamObserver<SubmitReply> out = (ServerCallStreamObserver<SubmitReply>) plain;
    compress(out);
    out.disableAutoRequest();
    SubmitAllStream s = new SubmitAllStream(out);
    out.setOnReadyHandler(s::flush);
    out.request(WINDOW);
    return s;
  }

  /** One SubmitAll call: replies in request order, at most {@link #WINDOW} in flight. */
  private final class SubmitAllStream implements StreamObserver<TaskSpec> {
    private final ServerCallStreamObserver<SubmitReply> out;
    private final ArrayDeque<CompletableFuture<SubmitReply>> inFlight = new ArrayDeque<>();
    private boolean halfClosed;
    private boolean done;

    SubmitAllStream(ServerCallStreamObserver<SubmitReply> out) {
      this.out = out;
    }

    @Override
    public void onNext(TaskSpec spec) {
      CompletableFuture<SubmitReply> f = submitOne(spec);
      synchronized (this) {
        inFlight.add(f);
      }
      f.whenComplete((r, e) -> flush());
    }

    void flush() {
      synchronized (this) {
        if (done) {
          return;
        }
        while (!inFlight.isEmpty() && inFlight.peek().isDone() && out.isReady()) {
          out.onNext(inFlight.poll().join());
          out.request(1);
        }
        if (halfClosed && inFlight.isEmpty()) {
          done = true;
          out.onCompleted();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        done = true;
      }
    }

    @Override
    public void onCompleted() {
      synchronized (this) {
        halfClosed = true;
      }
      flush();
    }
  }

  @Override
  public void status(
      TaskRef request, StreamObserver<io.poolforge.transport.grpc.v1.TaskStatus> out) {
    try {
      TaskStatus s = pool().status(new TaskId(request.getTaskId()));
      out.onNext(SubmitWire.status(s));
      out.onCompleted();
    } catch (PoolException e) {
      out.onError(Errors.toStatus(e));
    } catch (RuntimeException e) {
      out.onError(Errors.toStatus(unwrap(e)));
    }
  }

  @Override
  public void cancel(TaskRef request, StreamObserver<CancelReply> out) {
    try {
      boolean cancelled = pool().cancel(new TaskId(request.getTaskId()));
      out.onNext(CancelReply.newBuilder().setCancelled(cancelled).build());
      out.onCompleted();
    } catch (PoolException e) {
      out.onError(Errors.toStatus(e));
    } catch (RuntimeException e) {
      out.onError(Errors.toStatus(unwrap(e)));
    }
  }

  @Override
  public void events(EventsRequest request, StreamObserver<Event> plain) {
    ServerCallStreamObserver<Event> out = (ServerCallStreamObserver<Event>) plain;
    compress(out);
    Pool p;
    try {
      p = pool();
    } catch (PoolException e) {
      out.onError(Errors.toStatus(e));
      return;
    }
    Set<Long> filter = new HashSet<>(request.getTaskIdsList());
    EventBridge bridge = new EventBridge(out, filter);
    out.setOnReadyHandler(bridge::ready);
    out.setOnCancelHandler(bridge::cancel);
    p.events().subscribe(bridge);
  }

  /** Bridges a pool's event publisher to one server stream, one event in flight at a time. */
  private final class EventBridge implements Flow.Subscriber<PoolEvent> {
    private final ServerCallStreamObserver<Event> out;
    private final Set<Long> filter;
    private Flow.@Nullable Subscription subscription;
    private boolean wanting;
    private boolean ended;

    EventBridge(ServerCallStreamObserver<Event> out, Set<Long> filter) {
      this.out = out;
      this.filter = filter;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      synchronized (this) {
        subscription = s;
        if (ended) {
          s.cancel();
          return;
        }
        wanting = true;
      }
      s.request(1);
    }

    @Override
    public void onNext(PoolEvent e) {
      Event m = null;
      try {
        m = SubmitWire.event(e, payloads);
      } catch (PoolException ex) {
        // an output too large for the wire without a blob store: report the task, keep streaming
        m = null;
      }
      Flow.Subscription s;
      synchronized (this) {
        if (ended) {
          return;
        }
        if (m != null
            && (filter.isEmpty() || filter.contains(SubmitWire.taskOf(m)))
            && !(filter.isEmpty() == false && SubmitWire.taskOf(m) == 0)) {
          out.onNext(m);
        }
        s = subscription;
        wanting = !out.isReady();
      }
      if (!wanting && s != null) {
        s.request(1);
      }
    }

    void ready() {
      Flow.Subscription s;
      synchronized (this) {
        if (!wanting || ended) {
          return;
        }
        wanting = false;
        s = subscription;
      }
      if (s != null) {
        s.request(1);
      }
    }

    void cancel() {
      Flow.Subscription s;
      synchronized (this) {
        ended = true;
        s = subscription;
      }
      if (s != null) {
        s.cancel();
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        out.onError(Errors.toStatus(unwrap(t)));
      }
    }

    @Override
    public void onComplete() {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        out.onCompleted();
      }
    }
  }
}
