package io.poolforge.transport.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.MetadataUtils;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.transport.grpc.internal.ClientConfig;
import io.poolforge.transport.grpc.internal.RemotePayloadCodec;
import io.poolforge.transport.grpc.internal.WorkerClient;
import io.poolforge.transport.grpc.v1.BlobsGrpc;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A worker's end of the gRPC transport. One channel (one HTTP/2 connection) carries the streams of
 * every {@link #connect} made through it.
 *
 * <p>A connection reconnects with exponential backoff when its stream breaks for a retryable reason
 * (the coordinator restarted, the network dropped), registering again with the leases it still
 * holds so the coordinator can resume them; it gives up after {@link
 * Builder#reconnectFor(Duration)} and then reports {@link WorkerListener#onClosed}.
 *
 * <p>The main stream's callbacks run on the transport's own threads of {@link Thread#MIN_PRIORITY}.
 * The urgent lane has a connection, an I/O thread and callback threads of its own, all of {@link
 * Thread#MAX_PRIORITY}, so its bytes never wait behind bulk I/O on the shared event loops. Where
 * the JVM passes Java priorities to the OS (HotSpot on Linux with {@code
 * -XX:ThreadPriorityPolicy=1}), an urgent task's messages then get a core ahead of bulk batches.
 *
 * <p>Thread-safe. {@link #connect} blocks until the coordinator accepts or refuses.
 *
 * @since 0.1.0
 */
public final class GrpcWorkerTransport implements WorkerTransport {
  private final String target;
  private final ManagedChannel channel;
  private final ExecutorService mainCalls;
  private final @Nullable ExecutorService urgentCalls;
  private final @Nullable EventLoopGroup urgentLoop;
  private final ClientConfig config;
  private final RemotePayloadCodec payloads;
  private final WorkerLinkGrpc.WorkerLinkStub stub;
  private final @Nullable ManagedChannel urgentChannel;
  private final WorkerLinkGrpc.@Nullable WorkerLinkStub urgentStub;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final List<WorkerClient> clients = new ArrayList<>();
  private boolean closed;

  private GrpcWorkerTransport(Builder b) {
    this.target = b.target;
    // the main stream's callbacks (assignment batches to decode, mostly bulk) run below normal
    // priority, the urgent lane's at normal priority; both set here, not inherited from whichever
    // thread happened to make a shared pool grow
    this.mainCalls = callExecutor("poolforge-grpc-calls-", Thread.MIN_PRIORITY);
    this.channel = newChannel(b).executor(mainCalls).build();
    // the urgent lane gets its own connection: on the main one, its few bytes would wait behind the
    // bulk bytes already in the TCP buffers and the shared HTTP/2 connection window
    this.urgentCalls =
        b.urgentLane ? callExecutor("poolforge-grpc-urgent-", Thread.MAX_PRIORITY) : null;
    // and its own I/O thread: on the shared event loops its reads and writes would wait behind the
    // main connection's bulk frames
    this.urgentLoop =
        b.urgentLane
            ? new NioEventLoopGroup(
                1,
                Thread.ofPlatform()
                    .name("poolforge-grpc-urgent-io")
                    .priority(Thread.MAX_PRIORITY)
                    .daemon()
                    .factory())
            : null;
    this.urgentChannel =
        urgentCalls == null || urgentLoop == null
            ? null
            : newChannel(b, b.urgentLaneTarget != null ? b.urgentLaneTarget : b.target)
                .eventLoopGroup(urgentLoop)
                .channelType(NioSocketChannel.class)
                .executor(urgentCalls)
                .build();
    this.ownScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "poolforge-grpc-reconnect");
                  t.setDaemon(true);
                  return t;
                });
    this.config =
        new ClientConfig(
            b.target,
            b.maxMessageBytes,
            b.maxQueuedMessages,
            b.connectTimeout,
            b.reconnectFor,
            Duration.ofMillis(100),
            b.maxBackoff,
            b.compression,
            scheduler);
    this.stub = WorkerLinkGrpc.newStub(channel);
    this.urgentStub = urgentChannel == null ? null : WorkerLinkGrpc.newStub(urgentChannel);
    this.payloads =
        new RemotePayloadCodec(
            BlobsGrpc.newBlockingStub(channel),
            BlobsGrpc.newStub(channel),
            b.inlineLimit,
            b.maxBlobBytes,
            Duration.ofMinutes(2));
  }

  private static ExecutorService callExecutor(String prefix, int priority) {
    return Executors.newCachedThreadPool(
        Thread.ofPlatform().name(prefix, 0).priority(priority).daemon().factory());
  }

  private static NettyChannelBuilder newChannel(Builder b) {
    return newChannel(b, b.target);
  }

  private static NettyChannelBuilder newChannel(Builder b, String target) {
    NettyChannelBuilder cb =
        NettyChannelBuilder.forTarget(target, b.credentials())
            .maxInboundMessageSize(b.maxMessageBytes)
            .keepAliveTime(b.keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(true)
            // fixed: no bandwidth-delay PING after each data frame (see GrpcCoordinatorTransport)
            .flowControlWindow(GrpcCoordinatorTransport.FLOW_CONTROL_WINDOW);
    if (b.authority != null) {
      cb.overrideAuthority(b.authority);
    }
    List<ClientInterceptor> interceptors = new ArrayList<>();
    if (b.token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + b.token);
      interceptors.add(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    cb.intercept(interceptors);
    return cb;
  }

  /**
   * Starts a builder.
   *
   * @param target the coordinator, as "host:port" or a gRPC target URI
   * @return a builder
   */
  public static Builder builder(String target) {
    return new Builder(target);
  }

  @Override
  public WorkerConnection connect(Registration registration, WorkerListener listener) {
    if (registration == null) {
      throw PoolException.invalidArgument("registration", "must not be null");
    }
    if (listener == null) {
      throw PoolException.invalidArgument("listener", "must not be null");
    }
    WorkerClient client;
    synchronized (clients) {
      if (closed) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE, "connect: the transport to " + target + " is closed");
      }
      client =
          new WorkerClient(
              stub,
              urgentStub,
              registration,
              listener,
              config,
              payloads,
              () -> {
                channel.resetConnectBackoff();
                if (urgentChannel != null) {
                  urgentChannel.resetConnectBackoff();
                }
              });
    }
    client.open();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  @Override
  public void close() {
    List<WorkerClient> open;
    synchronized (clients) {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(clients);
    }
    for (WorkerClient c : open) {
      c.close();
    }
    shutdown(channel);
    if (urgentChannel != null) {
      shutdown(urgentChannel);
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
    mainCalls.shutdown();
    if (urgentCalls != null) {
      urgentCalls.shutdown();
    }
    if (urgentLoop != null) {
      urgentLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  private static void shutdown(ManagedChannel c) {
    c.shutdown();
    try {
      if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    } catch (InterruptedException e) {
      c.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  static @Nullable String checkCompression(String name) {
    if ("gzip".equals(name)) {
      return "gzip";
    }
    if ("identity".equals(name) || "none".equals(name)) {
      return null;
    }
    throw PoolException.invalidArgument(
        "compression", "is '" + name + "', must be gzip or identity");
  }

  /**
   * Configures a {@link GrpcWorkerTransport}. Each setter may be called once and checks its
   * argument. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String target;
    private @Nullable Path trustCa;
    private @Nullable Path clientChain;
    private @Nullable Path clientKey;
    private @Nullable String authority;
    private @Nullable String token;
    private @Nullable String compression;
    private boolean compressionSet;
    private int maxMessageBytes = GrpcCoordinatorTransport.DEFAULT_MAX_MESSAGE_BYTES;
    private boolean maxMessageBytesSet;
    private int maxQueuedMessages = 4096;
    private boolean maxQueuedSet;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private boolean connectTimeoutSet;
    private Duration reconnectFor = Duration.ofMinutes(5);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private boolean reconnectSet;
    private Duration keepAliveTime = Duration.ofSeconds(30);
    private boolean keepAliveSet;
    private int inlineLimit = 1 << 20;
    private long maxBlobBytes = 1L << 30;
    private boolean blobsSet;
    private @Nullable ScheduledExecutorService scheduler;
    private boolean urgentLane = true;
    private boolean urgentLaneSet;
    private @Nullable String urgentLaneTarget;

    private Builder(String target) {
      if (target == null || target.isBlank()) {
        throw PoolException.invalidArgument("target", "must be host:port or a gRPC target");
      }
      this.target = target;
    }

    private static void once(String field, boolean set) {
      if (set) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * Whether to open an urgent lane when the coordinator offers one: a second stream, on a second
     * connection, for the assignments and results of tasks of priority {@code HIGH} and above, so
     * they pass the bulk traffic of the main stream. Default: true. Turn it off to hold one
     * connection per worker (for example with very many workers per coordinator).
     *
     * @param value whether to use the lane
     * @return this
     */
    public Builder urgentLane(boolean value) {
      once("urgentLane", urgentLaneSet);
      urgentLane = value;
      urgentLaneSet = true;
      return this;
    }

    /**
     * Where the urgent lane connects: the coordinator's urgent-lane port ({@code
     * GrpcCoordinatorTransport.Builder.urgentLanePort}), whose I/O thread carries only urgent
     * lanes. Same credentials and authority as the main target. Default: the main target.
     *
     * @param value "host:port" or a gRPC target URI
     * @return this
     */
    public Builder urgentLaneTarget(String value) {
      once("urgentLaneTarget", urgentLaneTarget != null);
      if (value == null || value.isBlank()) {
        throw PoolException.invalidArgument(
            "urgentLaneTarget", "must be host:port or a gRPC target");
      }
      urgentLaneTarget = value;
      return this;
    }

    /**
     * Uses TLS, trusting the coordinator certificates signed by these CAs (PEM).
     *
     * @param caCerts the trusted CA certificates
     * @return this
     */
    public Builder tls(Path caCerts) {
      once("tls", trustCa != null);
      trustCa = GrpcCoordinatorTransport.Builder.readable("tls.trustCa", caCerts);
      return this;
    }

    /**
     * Presents this client certificate (mutual TLS). Requires {@link #tls}.
     *
     * @param chain the certificate chain (PEM)
     * @param key the PKCS#8 private key (PEM)
     * @return this
     */
    public Builder clientCertificate(Path chain, Path key) {
      once("clientCertificate", clientChain != null);
      clientChain = GrpcCoordinatorTransport.Builder.readable("clientCertificate.chain", chain);
      clientKey = GrpcCoordinatorTransport.Builder.readable("clientCertificate.key", key);
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
     * Authenticates with this bearer token.
     *
     * @param value the token, at least 16 printable ASCII characters
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
     * Compresses what the worker sends: "gzip" or "identity" (default).
     *
     * @param name the compressor
     * @return this
     */
    public Builder compression(String name) {
      once("compression", compressionSet);
      compression = checkCompression(name);
      compressionSet = true;
      return this;
    }

    /**
     * The largest message sent or received; default 16 MiB.
     *
     * @param bytes 4 KiB to 1 GiB
     * @return this
     */
    public Builder maxMessageBytes(int bytes) {
      once("maxMessageBytes", maxMessageBytesSet);
      if (bytes < 4096 || bytes > (1 << 30)) {
        throw PoolException.invalidArgument(
            "maxMessageBytes", "is " + bytes + ", must be 4096-2^30");
      }
      maxMessageBytes = bytes;
      maxMessageBytesSet = true;
      return this;
    }

    /**
     * The most outbound messages buffered while the stream is not ready; default 4096. Beyond it
     * sends fail with RESOURCE_EXHAUSTED.
     *
     * @param value 1-1,000,000
     * @return this
     */
    public Builder maxQueuedMessages(int value) {
      once("maxQueuedMessages", maxQueuedSet);
      if (value < 1 || value > 1_000_000) {
        throw PoolException.invalidArgument(
            "maxQueuedMessages", "is " + value + ", must be 1-1000000");
      }
      maxQueuedMessages = value;
      maxQueuedSet = true;
      return this;
    }

    /**
     * The deadline for registration; default 30 s.
     *
     * @param value a positive duration
     * @return this
     */
    public Builder connectTimeout(Duration value) {
      once("connectTimeout", connectTimeoutSet);
      if (value == null || value.isNegative() || value.isZero()) {
        throw PoolException.invalidArgument("connectTimeout", "must be positive");
      }
      connectTimeout = value;
      connectTimeoutSet = true;
      return this;
    }

    /**
     * How long to keep reconnecting a broken stream (default 5 min) and the longest backoff between
     * attempts (default 10 s). {@code Duration.ZERO} disables reconnecting.
     *
     * @param duration how long, &gt;= 0
     * @param maxDelay the longest backoff, &gt;= 100 ms
     * @return this
     */
    public Builder reconnect(Duration duration, Duration maxDelay) {
      once("reconnect", reconnectSet);
      if (duration == null || duration.isNegative()) {
        throw PoolException.invalidArgument("reconnect.duration", "must be >= 0");
      }
      if (maxDelay == null || maxDelay.toMillis() < 100) {
        throw PoolException.invalidArgument("reconnect.maxDelay", "must be >= 100ms");
      }
      reconnectFor = duration;
      maxBackoff = maxDelay;
      reconnectSet = true;
      return this;
    }

    /**
     * Shorthand for {@code reconnect(duration, 10 s)}.
     *
     * @param duration how long, &gt;= 0
     * @return this
     */
    public Builder reconnectFor(Duration duration) {
      return reconnect(duration, Duration.ofSeconds(10));
    }

    /**
     * The keepalive ping interval; default 30 s.
     *
     * @param value &gt;= 10 s
     * @return this
     */
    public Builder keepAlive(Duration value) {
      once("keepAlive", keepAliveSet);
      if (value == null || value.compareTo(Duration.ofSeconds(10)) < 0) {
        throw PoolException.invalidArgument("keepAlive", "must be >= 10s");
      }
      keepAliveTime = value;
      keepAliveSet = true;
      return this;
    }

    /**
     * Outputs above {@code inlineBytes} are uploaded to the coordinator's blob store and travel by
     * content id; blobs fetched are at most {@code maxBlob} bytes. Default 1 MiB and 1 GiB.
     *
     * @param inlineBytes the largest output sent inline, 0 to 8 MiB
     * @param maxBlob the largest blob fetched
     * @return this
     */
    public Builder blobs(int inlineBytes, long maxBlob) {
      once("blobs", blobsSet);
      if (inlineBytes < 0 || inlineBytes > (8 << 20)) {
        throw PoolException.invalidArgument(
            "blobs.inlineBytes", "is " + inlineBytes + ", must be 0-8MiB");
      }
      if (maxBlob < 1) {
        throw PoolException.invalidArgument("blobs.maxBlob", "must be >= 1");
      }
      inlineLimit = inlineBytes;
      maxBlobBytes = maxBlob;
      blobsSet = true;
      return this;
    }

    /**
     * The scheduler for reconnect delays; default a daemon thread owned by the transport.
     *
     * @param value the scheduler
     * @return this
     */
    public Builder scheduler(ScheduledExecutorService value) {
      once("scheduler", scheduler != null);
      if (value == null) {
        throw PoolException.invalidArgument("scheduler", "must not be null");
      }
      scheduler = value;
      return this;
    }

    private ChannelCredentials credentials() {
      if (trustCa == null) {
        if (clientChain != null) {
          throw PoolException.invalidArgument("clientCertificate", "mutual TLS needs tls(caCerts)");
        }
        return InsecureChannelCredentials.create();
      }
      try {
        TlsChannelCredentials.Builder tls =
            TlsChannelCredentials.newBuilder().trustManager(trustCa.toFile());
        if (clientChain != null) {
          tls.keyManager(clientChain.toFile(), clientKey.toFile());
        }
        return tls.build();
      } catch (IOException | RuntimeException e) {
        throw PoolException.invalidArgument(
            "tls", "cannot read the certificate files: " + e.getMessage());
      }
    }

    /**
     * Builds the transport.
     *
     * @return the transport
     */
    public GrpcWorkerTransport build() {
      return new GrpcWorkerTransport(this);
    }
  }
}
