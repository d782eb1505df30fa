package io.poolforge.transport.grpc.internal;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.transport.grpc.v1.CancelReply;
import io.poolforge.transport.grpc.v1.Event;
import io.poolforge.transport.grpc.v1.EventsRequest;
import io.poolforge.transport.grpc.v1.SubmitReply;
import io.poolforge.transport.grpc.v1.SubmitterGrpc;
import io.poolforge.transport.grpc.v1.TaskRef;
import io.poolforge.transport.grpc.v1.TaskSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
  /** How many specs of one SubmitAll stream are requested from the client at a time. */
  static final int WINDOW = 512;

  /** The most bytes of specs one SubmitAll call may carry (they are held until it ends). */
  static final long MAX_CALL_BYTES = 64L << 20;

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
    out.setOnCancelHandler(s::cancelled);
    out.request(WINDOW);
    return s;
  }

  /**
   * One SubmitAll call, all or nothing: the specs are gathered (at most {@link Page#MAX_LIMIT} and
   * {@link #MAX_CALL_BYTES} per call, read {@link #WINDOW} at a time), and when the client
   * half-closes they are submitted with one {@link Pool#submitAll}, which validates all of them
   * first and makes all of them durable in one store write. Then one reply per spec goes out, in
   * order. A bad spec, a full queue or a failed write ends the call with that status, and none of
   * its specs was submitted.
   */
  private final class SubmitAllStream implements StreamObserver<TaskSpec> {
    private final ServerCallStreamObserver<SubmitReply> out;
    private final List<io.poolforge.compute.api.TaskSpec> specs = new ArrayList<>();
    private long bytes;
    private @Nullable List<SubmitReply> replies;
    private int sent;
    private boolean done;

    SubmitAllStream(ServerCallStreamObserver<SubmitReply> out) {
      this.out = out;
    }

    @Override
    public void onNext(TaskSpec spec) {
      synchronized (this) {
        if (done) {
          return;
        }
        int i = specs.size();
        try {
          if (i >= Page.MAX_LIMIT) {
            throw PoolException.invalidArgument(
                "specs",
                "has more than "
                    + Page.MAX_LIMIT
                    + " tasks, the limit is that many per SubmitAll call");
          }
          bytes += spec.getSerializedSize();
          if (bytes > MAX_CALL_BYTES) {
            throw new PoolException(
                ErrorCode.RESOURCE_EXHAUSTED,
                "specs",
                "specs: the first "
                    + (i + 1)
                    + " tasks of this SubmitAll call encode to "
                    + bytes
                    + " bytes, the limit is "
                    + MAX_CALL_BYTES
                    + " per call (large payloads go to the blob store by content id)",
                null);
          }
          try {
            specs.add(SubmitWire.spec(spec, payloads));
          } catch (PoolException e) {
            throw new PoolException(
                e.code(), "specs[" + i + "]", "specs[" + i + "]: " + e.getMessage(), null);
          }
        } catch (PoolException e) {
          fail(e);
          return;
        }
      }
      out.request(1);
    }

    private void fail(PoolException e) {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        specs.clear();
      }
      try {
        out.onError(Errors.toStatus(e));
      } catch (IllegalStateException alreadyClosed) {
        // the client went away meanwhile
      }
    }

    void cancelled() {
      synchronized (this) {
        done = true;
        specs.clear();
      }
    }

    @Override
    public void onError(Throwable t) {
      cancelled();
    }

    @Override
    public void onCompleted() {
      List<io.poolforge.compute.api.TaskSpec> all;
      synchronized (this) {
        if (done) {
          return;
        }
        all = List.copyOf(specs);
        specs.clear();
      }
      if (all.isEmpty()) {
        synchronized (this) {
          done = true;
        }
        out.onCompleted();
        return;
      }
      List<TaskHandle> handles;
      try {
        handles = pool().submitAll(all);
      } catch (PoolException e) {
        fail(e);
        return;
      } catch (RuntimeException e) {
        fail(unwrap(e));
        return;
      }
      CompletableFuture<?>[] accepted = new CompletableFuture<?>[handles.size()];
      for (int i = 0; i < accepted.length; i++) {
        accepted[i] = handles.get(i).accepted();
      }
      CompletableFuture.allOf(accepted)
          .whenComplete(
              (v, err) -> {
                if (err != null) {
                  PoolException e = unwrap(err);
                  fail(
                      new PoolException(
                          e.code(),
                          "specs",
                          "specs: the store did not take the "
                              + handles.size()
                              + " tasks of this call, none was submitted: "
                              + e.getMessage(),
                          null));
                  return;
                }
                List<SubmitReply> r = new ArrayList<>(handles.size());
                for (TaskHandle h : handles) {
                  r.add(SubmitReply.newBuilder().setTaskId(h.id().value()).build());
                }
                synchronized (this) {
                  replies = r;
                }
                flush();
              });
    }

    void flush() {
      synchronized (this) {
        List<SubmitReply> r = replies;
        if (done || r == null) {
          return;
        }
        while (sent < r.size() && out.isReady()) {
          out.onNext(r.get(sent++));
        }
        if (sent == r.size()) {
          done = true;
          out.onCompleted();
        }
      }
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
