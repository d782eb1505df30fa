package io.poolforge.transport.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.store.BlobStore;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.transport.grpc.internal.AuthInterceptor;
import io.poolforge.transport.grpc.internal.BlobService;
import io.poolforge.transport.grpc.internal.PayloadCodec;
import io.poolforge.transport.grpc.internal.ServerConfig;
import io.poolforge.transport.grpc.internal.StorePayloadCodec;
import io.poolforge.transport.grpc.internal.SubmitterService;
import io.poolforge.transport.grpc.internal.UrgentLane;
import io.poolforge.transport.grpc.internal.WorkerStream;
import io.poolforge.transport.grpc.v1.CoordinatorMessage;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's end of the gRPC transport: a server that holds one bidirectional stream per
 * worker (service {@code poolforge.v1.WorkerLink}), serves large payloads by content id ({@code
 * poolforge.v1.Blobs}) and, once a {@link Pool} is attached, serves submitters ({@code
 * poolforge.v1.Submitter}) on the same port. With {@link Builder#urgentLanePort} it also listens on
 * a second port that serves only workers' urgent lanes, on an I/O thread of its own.
 *
 * <p>Every peer must authenticate (worker or submitter bearer tokens, or client certificates
 * verified by mutual TLS) unless {@link Builder#allowUnauthenticated()} was chosen. Messages are
 * bounded in size (16 MiB by default), inbound messages are rate-limited per worker, and a worker
 * never receives more assignments than it granted.
 *
 * <p>Thread-safe. {@link #start} binds the port and returns; {@link #close} may block briefly.
 *
 * @since 0.1.0
 */
public final class GrpcCoordinatorTransport implements CoordinatorTransport {
  /** The default message size limit, 16 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  /** The HTTP/2 flow-control window of each stream, both ends (gRPC's initial window, 1 MiB). */
  static final int FLOW_CONTROL_WINDOW = 1 << 20;

  private final Builder config;
  private final Set<WorkerStream> live = WorkerStream.newLiveSet();
  private final Map<String, WorkerStream> byWorker = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable Pool> pool = new AtomicReference<>();
  private final Object lock = new Object();
  private @Nullable Server server;
  private @Nullable Server laneServer;
  private @Nullable EventLoopGroup laneLoops;
  private @Nullable ForkJoinPool ownExecutor;
  private boolean closed;

  /** Runs a task on the calling thread. */
  private static final Executor DIRECT = Runnable::run;

  private GrpcCoordinatorTransport(Builder config) {
    this.config = config;
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void start(Acceptor acceptor) {
    if (acceptor == null) {
      throw PoolException.invalidArgument("acceptor", "must not be null");
    }
    synchronized (lock) {
      if (server != null || closed) {
        throw new PoolException(
            ErrorCode.FAILED_PRECONDITION, "start: called twice or after close");
      }
      Executor work = config.executor;
      if (work == null) {
        // below normal priority: result batches are the bulk of this work, and where the JVM passes
        // priorities to the OS the engine's scheduler and the transport's event loops (which carry
        // the urgent lanes) should get a core first
        ownExecutor =
            new ForkJoinPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                pool -> {
                  ForkJoinWorkerThread t =
                      ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                  t.setPriority(Thread.MIN_PRIORITY);
                  return t;
                },
                null,
                true);
        work = ownExecutor;
      }
      PayloadCodec payloads =
          config.blobStore == null
              ? PayloadCodec.inlineOnly(config.maxMessageBytes - 4096)
              : new StorePayloadCodec(config.blobStore, config.inlineLimit);
      ServerConfig sc =
          new ServerConfig(
              config.clock,
              config.maxMessageBytes,
              config.maxBatch,
              config.maxCredit,
              config.messagesPerSecond,
              config.burst,
              config.compression,
              payloads,
              config.checkLeases,
              work);
      WorkerLinkGrpc.WorkerLinkImplBase link =
          new WorkerLinkGrpc.WorkerLinkImplBase() {
            @Override
            public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> out) {
              return new WorkerStream(
                  (ServerCallStreamObserver<CoordinatorMessage>) out, acceptor, sc, live, byWorker);
            }

            @Override
            public StreamObserver<WorkerMessage> urgentLane(
                StreamObserver<CoordinatorMessage> out) {
              return new UrgentLane(
                  (ServerCallStreamObserver<CoordinatorMessage>) out, sc, byWorker);
            }
          };
      AuthInterceptor auth =
          new AuthInterceptor(
              config.workerTokens,
              config.submitterTokens,
              config.clientCa != null,
              config.allowUnauthenticated);
      NettyServerBuilder nb =
          serverBuilder(config.port)
              .addService(ServerInterceptors.intercept(link, auth))
              .addService(
                  ServerInterceptors.intercept(
                      new SubmitterService(pool::get, config.compression, payloads), auth));
      if (config.blobStore != null) {
        nb.addService(ServerInterceptors.intercept(new BlobService(config.blobStore), auth));
      }
      nb.executor(work);
      // A worker's stream runs on the transport's own threads: its frequent cheap messages
      // (heartbeats, grants) then cost no thread hand-off; WorkerStream moves the expensive ones
      // to the work executor itself. A worker's urgent lane handles its few results on the
      // transport thread too, so they do not queue behind bulk result batches on the work executor.
      // The other services run on the work executor.
      String connect = WorkerLinkGrpc.getConnectMethod().getFullMethodName();
      String urgentLane = WorkerLinkGrpc.getUrgentLaneMethod().getFullMethodName();
      ServerCallExecutorSupplier workerCallsDirect =
          new ServerCallExecutorSupplier() {
            @Override
            public <ReqT, RespT> @Nullable Executor getExecutor(
                ServerCall<ReqT, RespT> call, Metadata headers) {
              String method = call.getMethodDescriptor().getFullMethodName();
              return connect.equals(method) || urgentLane.equals(method) ? DIRECT : null;
            }
          };
      nb.callExecutor(workerCallsDirect);
      try {
        server = nb.build().start();
      } catch (IOException e) {
        throw new PoolException(
            ErrorCode.UNAVAILABLE,
            "port",
            "cannot listen on " + config.host + ":" + config.port + ": " + e.getMessage(),
            e);
      }
      if (config.urgentLanePort >= 0) {
        startLaneServer(link, auth, work, workerCallsDirect);
      }
    }
  }

  /** A server on {@code port} with the transport's credentials, limits and keepalive. */
  private NettyServerBuilder serverBuilder(int port) {
    return NettyServerBuilder.forAddress(new InetSocketAddress(config.host, port), credentials())
        // twice the limit at the framing layer, so that a message just above the limit is parsed
        // and refused with a status that names the limit (see WorkerStream)
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE - 8, 2L * config.maxMessageBytes))
        .keepAliveTime(config.keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(config.keepAliveTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(
            Math.min(config.keepAliveTime.toMillis(), 10_000), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        // a fixed window turns off gRPC's bandwidth-delay probing, which answers every data frame
        // on an idle connection (each heartbeat) with a PING: one more write and one more wakeup
        // per message, the bulk of the heartbeat cost with many workers
        .flowControlWindow(FLOW_CONTROL_WINDOW);
  }

  /**
   * Listens for urgent lanes on a port of their own, on one I/O thread of their own at maximum
   * priority: on the main port an urgent lane's connection shares the transport's event loops with
   * the main streams, so its few bytes wait while a loop reads or writes a bulk batch, and those
   * loops run at normal priority. Only the urgent-lane method is served there.
   */
  private void startLaneServer(
      BindableService link,
      AuthInterceptor auth,
      Executor work,
      ServerCallExecutorSupplier callExecutors) {
    String method = WorkerLinkGrpc.getUrgentLaneMethod().getFullMethodName();
    ServerServiceDefinition all = link.bindService();
    ServerServiceDefinition laneOnly =
        ServerServiceDefinition.builder(all.getServiceDescriptor().getName())
            .addMethod(java.util.Objects.requireNonNull(all.getMethod(method), method))
            .build();
    EventLoopGroup loop =
        new NioEventLoopGroup(
            1,
            Thread.ofPlatform()
                .name("poolforge-grpc-urgent-lane-io")
                .priority(Thread.MAX_PRIORITY)
                .daemon()
                .factory());
    laneLoops = loop;
    try {
      laneServer =
          serverBuilder(config.urgentLanePort)
              .bossEventLoopGroup(loop)
              .workerEventLoopGroup(loop)
              .channelType(NioServerSocketChannel.class)
              .addService(ServerInterceptors.intercept(laneOnly, auth))
              .executor(work)
              // the lane's few results are handled on its I/O thread, as on the main port
              .callExecutor(callExecutors)
              .build()
              .start();
    } catch (IOException e) {
      Server main = server;
      server = null;
      if (main != null) {
        main.shutdownNow();
      }
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      laneLoops = null;
      throw new PoolException(
          ErrorCode.UNAVAILABLE,
          "urgentLanePort",
          "cannot listen on "
              + config.host
              + ":"
              + config.urgentLanePort
              + " for urgent lanes: "
              + e.getMessage(),
          e);
    }
  }

  private ServerCredentials credentials() {
    if (config.certChain == null) {
      return InsecureServerCredentials.create();
    }
    try {
      TlsServerCredentials.Builder tls =
          TlsServerCredentials.newBuilder()
              .keyManager(config.certChain.toFile(), config.privateKey.toFile());
      if (config.clientCa != null) {
        tls.trustManager(config.clientCa.toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
      }
      return tls.build();
    } catch (IOException | RuntimeException e) {
      throw PoolException.invalidArgument(
          "tls", "cannot read the certificate files: " + e.getMessage());
    }
  }

  /**
   * The port it listens on (useful after binding port 0).
   *
   * @return the port
   * @throws PoolException FAILED_PRECONDITION before {@link #start}
   */
  public int port() {
    synchronized (lock) {
      if (server == null) {
        throw new PoolException(
            ErrorCode.FAILED_PRECONDITION, "port: the transport is not started");
      }
      return server.getPort();
    }
  }

  /**
   * The port it listens on for urgent lanes only, when {@link Builder#urgentLanePort} was set.
   *
   * @return the port, or -1 when urgent lanes are served on {@link #port()} alone
   * @throws PoolException FAILED_PRECONDITION before {@link #start}
   */
  public int urgentLanePort() {
    synchronized (lock) {
      if (server == null) {
        throw new PoolException(
            ErrorCode.FAILED_PRECONDITION, "urgentLanePort: the transport is not started");
      }
      Server lanes = laneServer;
      return lanes == null ? -1 : lanes.getPort();
    }
  }

  /**
   * Serves submitters from {@code target} on this transport's port. Until a pool is attached,
   * Submitter calls fail with UNAVAILABLE.
   *
   * @param target the pool
   * @throws PoolException FAILED_PRECONDITION if a pool is already attached
   */
  public void attachPool(Pool target) {
    if (target == null) {
      throw PoolException.invalidArgument("pool", "must not be null");
    }
    if (!pool.compareAndSet(null, target)) {
      throw new PoolException(ErrorCode.FAILED_PRECONDITION, "pool: a pool is already attached");
    }
  }

  /**
   * The workers connected now.
   *
   * @return how many streams are open
   */
  public int connectedWorkers() {
    return live.size();
  }

  @Override
  public void close() {
    Server s;
    Server lanes;
    EventLoopGroup loops;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      s = server;
      lanes = laneServer;
      loops = laneLoops;
    }
    PoolException reason =
        new PoolException(ErrorCode.UNAVAILABLE, "the coordinator is shutting down");
    for (WorkerStream w : live.toArray(new WorkerStream[0])) {
      w.fail(reason);
    }
    stopServer(lanes);
    stopServer(s);
    if (loops != null) {
      loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    ForkJoinPool own;
    synchronized (lock) {
      own = ownExecutor;
    }
    if (own != null) {
      own.shutdown();
    }
  }

  private static void stopServer(@Nullable Server s) {
    if (s == null) {
      return;
    }
    s.shutdown();
    try {
      if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
        s.shutdownNow();
        s.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      s.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Configures a {@link GrpcCoordinatorTransport}. Each setter may be called once and checks its
   * argument. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = -1;
    private int urgentLanePort = -1;
    private @Nullable Path certChain;
    private @Nullable Path privateKey;
    private @Nullable Path clientCa;
    private @Nullable Set<String> workerTokens;
    private @Nullable Set<String> submitterTokens;
    private boolean allowUnauthenticated;
    private int maxMessageBytes = -1;
    private int maxBatch = -1;
    private long maxCredit = -1;
    private double messagesPerSecond = -1;
    private int burst = -1;
    private @Nullable String compression;
    private boolean compressionSet;
    private @Nullable Duration keepAliveTime;
    private Duration keepAliveTimeout = Duration.ofSeconds(20);
    private @Nullable BlobStore blobStore;
    private int inlineLimit = -1;
    private @Nullable Clock clock;
    private @Nullable Executor executor;
    private boolean hostSet;
    private boolean checkLeases = true;
    private boolean checkLeasesSet;

    private Builder() {}

    private static void once(String field, boolean set) {
      if (set) {
        throw new IllegalStateException(field + " was already set");
      }
    }

    /**
     * The address to bind; default all interfaces.
     *
     * @param value a host name or IP address
     * @return this
     */
    public Builder host(String value) {
      once("host", hostSet);
      if (value == null || value.isBlank()) {
        throw PoolException.invalidArgument("host", "must not be blank");
      }
      host = value;
      hostSet = true;
      return this;
    }

    /**
     * The port; 0 picks a free one.
     *
     * @param value 0-65535
     * @return this
     */
    public Builder port(int value) {
      once("port", port >= 0);
      if (value < 0 || value > 65_535) {
        throw PoolException.invalidArgument("port", "is " + value + ", must be 0-65535");
      }
      port = value;
      return this;
    }

    /**
     * Also listens on this port for workers' urgent lanes, with an I/O thread of their own at
     * maximum priority, so that an urgent task's assignment and result do not wait for the event
     * loops that carry the main streams' bulk batches; 0 picks a free one ({@link
     * GrpcCoordinatorTransport#urgentLanePort()} tells which). Only urgent lanes are served there,
     * with the same credentials and limits as the main port, which serves them too. A worker uses
     * it when told to ({@code GrpcWorkerTransport.Builder.urgentLaneTarget}). Unset: urgent lanes
     * are served on the main port only.
     *
     * @param value 0-65535, not the main port
     * @return this
     */
    public Builder urgentLanePort(int value) {
      once("urgentLanePort", urgentLanePort >= 0);
      if (value < 0 || value > 65_535) {
        throw PoolException.invalidArgument("urgentLanePort", "is " + value + ", must be 0-65535");
      }
      urgentLanePort = value;
      return this;
    }

    /**
     * Serves TLS with this certificate chain and PKCS#8 private key (PEM files).
     *
     * @param chain the certificate chain
     * @param key the private key
     * @return this
     */
    public Builder tls(Path chain, Path key) {
      once("tls", certChain != null);
      certChain = readable("tls.certChain", chain);
      privateKey = readable("tls.privateKey", key);
      return this;
    }

    /**
     * Enables mutual TLS for workers: a client certificate signed by one of these CAs (PEM)
     * authenticates a worker. Requires {@link #tls}.
     *
     * @param caCerts the trusted CA certificates
     * @return this
     */
    public Builder clientCa(Path caCerts) {
      once("clientCa", clientCa != null);
      clientCa = readable("clientCa", caCerts);
      return this;
    }

    /**
     * Bearer tokens that authenticate workers.
     *
     * @param tokens one or more tokens of at least 16 characters
     * @return this
     */
    public Builder workerTokens(Set<String> tokens) {
      once("workerTokens", workerTokens != null);
      workerTokens = tokens("workerTokens", tokens);
      return this;
    }

    /**
     * Bearer tokens that authenticate submitters.
     *
     * @param tokens one or more tokens of at least 16 characters
     * @return this
     */
    public Builder submitterTokens(Set<String> tokens) {
      once("submitterTokens", submitterTokens != null);
      submitterTokens = tokens("submitterTokens", tokens);
      return this;
    }

    /**
     * Lets unauthenticated peers in. For development on a trusted loopback only.
     *
     * @return this
     */
    public Builder allowUnauthenticated() {
      once("allowUnauthenticated", allowUnauthenticated);
      allowUnauthenticated = true;
      return this;
    }

    /**
     * The largest message sent or received; default 16 MiB.
     *
     * @param bytes 4 KiB to 1 GiB
     * @return this
     */
    public Builder maxMessageBytes(int bytes) {
      once("maxMessageBytes", maxMessageBytes > 0);
      if (bytes < 4096 || bytes > (1 << 30)) {
        throw PoolException.invalidArgument(
            "maxMessageBytes", "is " + bytes + ", must be 4096-2^30");
      }
      maxMessageBytes = bytes;
      return this;
    }

    /**
     * The most assignments in one message; default 4096.
     *
     * @param value 1-65536
     * @return this
     */
    public Builder maxBatch(int value) {
      once("maxBatch", maxBatch > 0);
      if (value < 1 || value > 65_536) {
        throw PoolException.invalidArgument("maxBatch", "is " + value + ", must be 1-65536");
      }
      maxBatch = value;
      return this;
    }

    /**
     * The most credit one worker may hold at once; default 1,000,000.
     *
     * @param value &gt;= 1
     * @return this
     */
    public Builder maxCredit(long value) {
      once("maxCredit", maxCredit > 0);
      if (value < 1) {
        throw PoolException.invalidArgument("maxCredit", "is " + value + ", must be >= 1");
      }
      maxCredit = value;
      return this;
    }

    /**
     * The per-worker inbound rate limit; default 5,000 messages/s with a burst of 10,000. A worker
     * above it is disconnected with RESOURCE_EXHAUSTED.
     *
     * @param perSecond messages per second, &gt; 0
     * @param burstSize the burst allowance, &gt;= 1
     * @return this
     */
    public Builder rateLimit(double perSecond, int burstSize) {
      once("rateLimit", messagesPerSecond > 0);
      if (!(perSecond > 0)) {
        throw PoolException.invalidArgument(
            "rateLimit.perSecond", "is " + perSecond + ", must be > 0");
      }
      if (burstSize < 1) {
        throw PoolException.invalidArgument(
            "rateLimit.burst", "is " + burstSize + ", must be >= 1");
      }
      messagesPerSecond = perSecond;
      burst = burstSize;
      return this;
    }

    /**
     * Compresses what the coordinator sends: "gzip" or "identity" (default).
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
     * Whether a worker's results and checkpoints must name a lease this transport handed to it on
     * its stream (or that it presented when it registered); default true. A result for any other
     * lease (another worker's task, an unknown task id, a replay) then ends the worker's stream
     * with FAILED_PRECONDITION naming the lease. Off, such results reach the coordinator, which
     * drops them as stale without telling the worker; only the transport contract kit, whose
     * synthetic workers answer leases never assigned, needs that.
     *
     * @param value true to check
     * @return this
     */
    public Builder checkLeases(boolean value) {
      once("checkLeases", checkLeasesSet);
      checkLeases = value;
      checkLeasesSet = true;
      return this;
    }

    /**
     * Keepalive pings: how often (default 30 s) and how long to wait for the answer (20 s).
     *
     * @param time the ping interval, &gt;= 1 s
     * @param timeout the ping timeout, &gt;= 1 s
     * @return this
     */
    public Builder keepAlive(Duration time, Duration timeout) {
      once("keepAlive", keepAliveTime != null);
      if (time == null || time.compareTo(Duration.ofSeconds(1)) < 0) {
        throw PoolException.invalidArgument("keepAlive.time", "must be >= 1s");
      }
      if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw PoolException.invalidArgument("keepAlive.timeout", "must be >= 1s");
      }
      keepAliveTime = time;
      keepAliveTimeout = timeout;
      return this;
    }

    /**
     * Payloads above {@code inlineBytes} go to this store and travel by content id.
     *
     * @param store the blob store
     * @param inlineBytes the largest payload sent inline, 0 to 8 MiB
     * @return this
     */
    public Builder blobStore(BlobStore store, int inlineBytes) {
      once("blobStore", blobStore != null);
      if (store == null) {
        throw PoolException.invalidArgument("blobStore", "must not be null");
      }
      if (inlineBytes < 0 || inlineBytes > (8 << 20)) {
        throw PoolException.invalidArgument(
            "blobStore.inlineBytes", "is " + inlineBytes + ", must be 0-8MiB");
      }
      blobStore = store;
      inlineLimit = inlineBytes;
      return this;
    }

    /**
     * The clock for rate limits; default the system UTC clock.
     *
     * @param value the clock
     * @return this
     */
    public Builder clock(Clock value) {
      once("clock", clock != null);
      if (value == null) {
        throw PoolException.invalidArgument("clock", "must not be null");
      }
      clock = value;
      return this;
    }

    /**
     * The executor that runs submitter and blob calls and a worker's registration, results and
     * checkpoints; default a work-stealing pool with one thread per core, owned by the transport,
     * whose threads run at {@link Thread#MIN_PRIORITY} (see {@code WorkerNode} on priorities).
     *
     * @param value the executor
     * @return this
     */
    public Builder executor(Executor value) {
      once("executor", executor != null);
      if (value == null) {
        throw PoolException.invalidArgument("executor", "must not be null");
      }
      executor = value;
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return the transport, not yet listening
     * @throws PoolException INVALID_ARGUMENT when no authentication is configured, or client CAs
     *     without TLS
     */
    public GrpcCoordinatorTransport build() {
      if (workerTokens == null
          && submitterTokens == null
          && clientCa == null
          && !allowUnauthenticated) {
        throw PoolException.invalidArgument(
            "authentication",
            "configure workerTokens/submitterTokens, a clientCa for mutual TLS, or allowUnauthenticated()");
      }
      if (clientCa != null && certChain == null) {
        throw PoolException.invalidArgument(
            "clientCa", "mutual TLS needs tls(certChain, privateKey)");
      }
      if (port < 0) {
        port = 0;
      }
      if (urgentLanePort > 0 && urgentLanePort == port) {
        throw PoolException.invalidArgument(
            "urgentLanePort", "is " + urgentLanePort + ", the main port: it must be another one");
      }
      if (maxMessageBytes < 0) {
        maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
      }
      if (maxBatch < 0) {
        maxBatch = 4096;
      }
      if (maxCredit < 0) {
        maxCredit = 1_000_000;
      }
      if (messagesPerSecond < 0) {
        messagesPerSecond = 5_000;
        burst = 10_000;
      }
      if (keepAliveTime == null) {
        keepAliveTime = Duration.ofSeconds(30);
      }
      if (workerTokens == null) {
        workerTokens = Set.of();
      }
      if (submitterTokens == null) {
        submitterTokens = Set.of();
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      return new GrpcCoordinatorTransport(this);
    }

    static Path readable(String field, Path p) {
      if (p == null) {
        throw PoolException.invalidArgument(field, "must not be null");
      }
      if (!Files.isReadable(p)) {
        throw PoolException.invalidArgument(field, "'" + p + "' is not a readable file");
      }
      return p;
    }

    static Set<String> tokens(String field, Set<String> tokens) {
      if (tokens == null || tokens.isEmpty()) {
        throw PoolException.invalidArgument(field, "must list at least one token");
      }
      for (String t : tokens) {
        if (t == null || t.length() < 16 || !t.matches("[\\x21-\\x7e]+")) {
          throw PoolException.invalidArgument(
              field, "each token must be at least 16 printable ASCII characters without spaces");
        }
      }
      return Set.copyOf(tokens);
    }
  }
}
