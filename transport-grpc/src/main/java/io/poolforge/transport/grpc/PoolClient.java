package io.poolforge.transport.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Page;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.transport.grpc.internal.Errors;
import io.poolforge.transport.grpc.internal.PayloadCodec;
import io.poolforge.transport.grpc.internal.RemotePayloadCodec;
import io.poolforge.transport.grpc.internal.SubmitWire;
import io.poolforge.transport.grpc.v1.BlobsGrpc;
import io.poolforge.transport.grpc.v1.Event;
import io.poolforge.transport.grpc.v1.EventsRequest;
import io.poolforge.transport.grpc.v1.SubmitReply;
import io.poolforge.transport.grpc.v1.SubmitterGrpc;
import io.poolforge.transport.grpc.v1.TaskRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A submitter's client for a remote pool served by {@link GrpcCoordinatorTransport}: submit tasks
 * (one by one or streamed), query and cancel them, and follow their results as a stream of events
 * instead of polling.
 *
 * <p>Thread-safe. {@link #submit}, {@link #submitAll}, {@link #status} and {@link #cancel} block
 * until the coordinator answers or the deadline passes; {@link #events} does not block.
 *
 * @since 0.1.0
 */
public final class PoolClient implements AutoCloseable {
  private final String target;
  private final ManagedChannel channel;
  private final SubmitterGrpc.SubmitterBlockingStub blocking;
  private final SubmitterGrpc.SubmitterStub async;
  private final Duration deadline;
  private final PayloadCodec payloads;

  private PoolClient(Builder b) {
    this.target = b.target;
    NettyChannelBuilder cb =
        NettyChannelBuilder.forTarget(b.target, b.credentials())
            .maxInboundMessageSize(b.maxMessageBytes);
    if (b.authority != null) {
      cb.overrideAuthority(b.authority);
    }
    if (b.token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + b.token);
      cb.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    this.channel = cb.build();
    SubmitterGrpc.SubmitterBlockingStub bs = SubmitterGrpc.newBlockingStub(channel);
    SubmitterGrpc.SubmitterStub as = SubmitterGrpc.newStub(channel);
    if (b.compression != null) {
      bs = bs.withCompression(b.compression);
      as = as.withCompression(b.compression);
    }
    this.blocking = bs;
    this.async = as;
    this.deadline = b.deadline;
    this.payloads =
        new RemotePayloadCodec(
            BlobsGrpc.newBlockingStub(channel),
            BlobsGrpc.newStub(channel),
            b.maxMessageBytes - 65_536,
            TaskSpec.MAX_PAYLOAD_BYTES,
            Duration.ofMinutes(2));
  }

  /**
   * Starts a builder.
   *
   * @param target the coordinator, as "host:port"
   * @return a builder
   */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  private SubmitterGrpc.SubmitterBlockingStub stub() {
    return blocking.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Submits one task; returns once the pool has stored it durably.
   *
   * @param spec the task
   * @return its id
   * @throws PoolException the pool's refusal (INVALID_ARGUMENT naming the field, ...), or
   *     UNAVAILABLE / DEADLINE_EXCEEDED
   */
  public TaskId submit(TaskSpec spec) {
    if (spec == null) {
      throw PoolException.invalidArgument("spec", "must not be null");
    }
    try {
      SubmitReply reply = stub().submit(SubmitWire.spec(spec, payloads));
      return new TaskId(reply.getTaskId());
    } catch (RuntimeException e) {
      throw Errors.toPoolException(e, "submit to " + target);
    }
  }

  /**
   * Streams many tasks over one call, with back-pressure, all or nothing: the coordinator gathers
   * the whole call, validates every spec and stores them in one durable write, then answers their
   * ids. Either every spec was submitted (and is durable where the pool has a store) or, when one
   * is invalid, the queue lacks room for all or the store write fails, none was.
   *
   * <p>If the connection breaks or the deadline passes before the answer arrives, the outcome is
   * unknown to the client (all or none were submitted); {@link #status} of the pool's tasks tells.
   *
   * @param specs the tasks, at most {@value io.poolforge.compute.api.Page#MAX_LIMIT}
   * @return their ids, in order
   * @throws PoolException INVALID_ARGUMENT naming {@code specs[i]} and the field for a refused
   *     spec, or {@code specs} for too many; RESOURCE_EXHAUSTED when the queue lacks room or the
   *     call exceeds 64 MiB of specs; UNAVAILABLE / DEADLINE_EXCEEDED; in every case nothing of the
   *     call was submitted, except that UNAVAILABLE / DEADLINE_EXCEEDED leave it unknown
   */
  public List<TaskId> submitAll(List<TaskSpec> specs) {
    if (specs == null) {
      throw PoolException.invalidArgument("specs", "must not be null");
    }
    if (specs.size() > Page.MAX_LIMIT) {
      throw PoolException.invalidArgument(
          "specs", "has " + specs.size() + " tasks, the limit is " + Page.MAX_LIMIT + " per call");
    }
    List<io.poolforge.transport.grpc.v1.TaskSpec> wire = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i) == null) {
        throw PoolException.invalidArgument("specs[" + i + "]", "must not be null");
      }
      wire.add(SubmitWire.spec(specs.get(i), payloads));
    }
    if (wire.isEmpty()) {
      return List.of();
    }
    List<SubmitReply> replies = new ArrayList<>(wire.size());
    CompletableFuture<Void> done = new CompletableFuture<>();
    async
        .withDeadlineAfter(deadline.toMillis() + wire.size() / 10, TimeUnit.MILLISECONDS)
        .submitAll(
            new ClientResponseObserver<io.poolforge.transport.grpc.v1.TaskSpec, SubmitReply>() {
              private int next;

              @Override
              public void beforeStart(
                  ClientCallStreamObserver<io.poolforge.transport.grpc.v1.TaskSpec> out) {
                out.setOnReadyHandler(
                    () -> {
                      synchronized (this) {
                        while (next < wire.size() && out.isReady()) {
                          out.onNext(wire.get(next++));
                        }
                        if (next == wire.size()) {
                          next++;
                          out.onCompleted();
                        }
                      }
                    });
              }

              @Override
              public void onNext(SubmitReply reply) {
                synchronized (replies) {
                  replies.add(reply);
                }
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    try {
      done.get();
    } catch (ExecutionException e) {
      throw Errors.toPoolException(e.getCause(), "submitAll to " + target);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PoolException(ErrorCode.CANCELLED, "submitAll: interrupted");
    }
    synchronized (replies) {
      if (replies.size() != wire.size()) {
        throw new PoolException(
            ErrorCode.INTERNAL,
            "submitAll: "
                + wire.size()
                + " specs sent but "
                + replies.size()
                + " replies received");
      }
      List<TaskId> ids = new ArrayList<>(replies.size());
      for (int i = 0; i < replies.size(); i++) {
        SubmitReply r = replies.get(i);
        if (r.hasError()) {
          // a coordinator of this version refuses a call as a whole; this reply comes from one
          // that answered spec by spec
          throw new PoolException(
              ErrorCode.INTERNAL,
              "specs[" + i + "]",
              "specs["
                  + i
                  + "]: the coordinator refused this spec alone ("
                  + r.getError().getCode()
                  + ": "
                  + r.getError().getMessage()
                  + "); it does not support all-or-nothing SubmitAll",
              null);
        }
        ids.add(new TaskId(r.getTaskId()));
      }
      return ids;
    }
  }

  /**
   * The current status of a task.
   *
   * @param id the task
   * @return its status
   * @throws PoolException NOT_FOUND for an unknown id
   */
  public TaskStatus status(TaskId id) {
    if (id == null) {
      throw PoolException.invalidArgument("id", "must not be null");
    }
    try {
      return SubmitWire.status(stub().status(TaskRef.newBuilder().setTaskId(id.value()).build()));
    } catch (PoolException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.toPoolException(e, "status of " + id + " from " + target);
    }
  }

  /**
   * Cancels a task.
   *
   * @param id the task
   * @return true if it was cancelled, false if it had already ended
   * @throws PoolException NOT_FOUND for an unknown id
   */
  public boolean cancel(TaskId id) {
    if (id == null) {
      throw PoolException.invalidArgument("id", "must not be null");
    }
    try {
      return stub().cancel(TaskRef.newBuilder().setTaskId(id.value()).build()).getCancelled();
    } catch (RuntimeException e) {
      throw Errors.toPoolException(e, "cancel " + id + " at " + target);
    }
  }

  /**
   * The pool's events as they happen: task completions (with outputs) and failures for the given
   * tasks, or, with none given, for every task plus workers leaving and being quarantined. Each
   * subscription is one server stream; the subscriber's demand is the stream's flow control.
   *
   * @param tasks the tasks to follow, or empty for all
   * @return a publisher; each subscriber opens its own stream
   */
  public Flow.Publisher<PoolEvent> events(Collection<TaskId> tasks) {
    if (tasks == null) {
      throw PoolException.invalidArgument("tasks", "must not be null");
    }
    EventsRequest.Builder request = EventsRequest.newBuilder();
    tasks.forEach(t -> request.addTaskIds(t.value()));
    EventsRequest built = request.build();
    return subscriber -> {
      if (subscriber == null) {
        throw PoolException.invalidArgument("subscriber", "must not be null");
      }
      EventStream stream = new EventStream(subscriber);
      async.events(built, stream);
      // only now, with the call started, may the subscriber's demand reach it
      stream.subscribed();
    };
  }

  /** One event subscription over one server stream. */
  private final class EventStream implements ClientResponseObserver<EventsRequest, Event> {
    private final Flow.Subscriber<? super PoolEvent> subscriber;
    private @Nullable ClientCallStreamObserver<EventsRequest> call;
    private boolean ended;

    EventStream(Flow.Subscriber<? super PoolEvent> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<EventsRequest> requestStream) {
      call = requestStream;
      requestStream.disableAutoRequestWithInitial(0);
    }

    void subscribed() {
      ClientCallStreamObserver<EventsRequest> requestStream =
          java.util.Objects.requireNonNull(call);
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              if (n <= 0) {
                cancel();
                subscriber.onError(
                    PoolException.invalidArgument("n", "is " + n + ", must be > 0 (Flow §3.9)"));
                return;
              }
              synchronized (EventStream.this) {
                if (!ended) {
                  requestStream.request((int) Math.min(Integer.MAX_VALUE, n));
                }
              }
            }

            @Override
            public void cancel() {
              synchronized (EventStream.this) {
                if (ended) {
                  return;
                }
                ended = true;
                requestStream.cancel("cancelled by the subscriber", null);
              }
            }
          });
    }

    @Override
    public void onNext(Event value) {
      PoolEvent e;
      try {
        e = SubmitWire.event(value, payloads);
      } catch (PoolException ex) {
        e = null;
      }
      if (e == null) {
        synchronized (this) {
          if (!ended && call != null) {
            call.request(1);
          }
        }
        return;
      }
      subscriber.onNext(e);
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      subscriber.onError(Errors.toPoolException(t, "events from " + target));
    }

    @Override
    public void onCompleted() {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      subscriber.onComplete();
    }
  }

  /** Closes the channel. Idempotent; may block briefly. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Configures a {@link PoolClient}. Each setter may be called once and checks its argument. Not
   * thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String target;
    private @Nullable Path trustCa;
    private @Nullable String authority;
    private @Nullable String token;
    private @Nullable String compression;
    private boolean compressionSet;
    private Duration deadline = Duration.ofSeconds(30);
    private boolean deadlineSet;
    private int maxMessageBytes = GrpcCoordinatorTransport.DEFAULT_MAX_MESSAGE_BYTES;
    private boolean maxMessageBytesSet;

    private Builder(String target) {
      if (target == null || target.isBlank()) {
        throw PoolException.invalidArgument("target", "must be host:port");
      }
      this.target = target;
    }

    private static void once(String field, boolean set) {
      if (set) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * Uses TLS, trusting coordinator certificates signed by these CAs (PEM).
     *
     * @param caCerts the CA certificates
     * @return this
     */
    public Builder tls(Path caCerts) {
      once("tls", trustCa != null);
      trustCa = GrpcCoordinatorTransport.Builder.readable("tls.trustCa", caCerts);
      return this;
    }

    /**
     * The name expected in the coordinator's certificate, when it differs from the target host.
     *
     * @param value the authority
     * @return this
     */
    public Builder authority(String value) {
      once("authority", authority != null);
      if (value == null || value.isBlank()) {
        throw PoolException.invalidArgument("authority", "must not be blank");
      }
      authority = value;
      return this;
    }

    /**
     * Authenticates with this submitter bearer token.
     *
     * @param value the token
     * @return this
     */
    public Builder token(String value) {
      once("token", token != null);
      token =
          GrpcCoordinatorTransport.Builder.tokens(
                  "token", java.util.Set.of(value == null ? "" : value))
              .iterator()
              .next();
      return this;
    }

    /**
     * Compresses requests: "gzip" or "identity" (default).
     *
     * @param name the compressor
     * @return this
     */
    public Builder compression(String name) {
      once("compression", compressionSet);
      compression = GrpcWorkerTransport.checkCompression(name);
      compressionSet = true;
      return this;
    }

    /**
     * The deadline of each call; default 30 s.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder deadline(Duration value) {
      once("deadline", deadlineSet);
      if (value == null || value.isNegative() || value.isZero()) {
        throw PoolException.invalidArgument("deadline", "must be positive");
      }
      deadline = value;
      deadlineSet = true;
      return this;
    }

    /**
     * The largest message sent or received; default 16 MiB. Larger payloads travel through the
     * coordinator's blob store.
     *
     * @param bytes 128 KiB to 1 GiB
     * @return this
     */
    public Builder maxMessageBytes(int bytes) {
      once("maxMessageBytes", maxMessageBytesSet);
      if (bytes < (128 << 10) || bytes > (1 << 30)) {
        throw PoolException.invalidArgument(
            "maxMessageBytes", "is " + bytes + ", must be 128KiB-1GiB");
      }
      maxMessageBytes = bytes;
      maxMessageBytesSet = true;
      return this;
    }

    private ChannelCredentials credentials() {
      if (trustCa == null) {
        return InsecureChannelCredentials.create();
      }
      try {
        return TlsChannelCredentials.newBuilder().trustManager(trustCa.toFile()).build();
      } catch (IOException | RuntimeException e) {
        throw PoolException.invalidArgument(
            "tls", "cannot read the certificate files: " + e.getMessage());
      }
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public PoolClient build() {
      return new PoolClient(this);
    }
  }
}
