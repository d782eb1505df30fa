package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.transport.grpc.internal.ClientConfig;
import io.poolforge.transport.grpc.internal.PayloadCodec;
import io.poolforge.transport.grpc.internal.WorkerClient;
import io.poolforge.transport.grpc.v1.WorkerLinkGrpc;
import io.poolforge.transport.grpc.v1.WorkerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's connection writes its main stream outside its lock: while one thread is stuck
 * writing a bulk result batch (here held inside the gRPC call by an interceptor, as a bulk runner
 * at low priority may be held off the CPU while it serializes a large batch), an urgent assignment
 * still reaches the worker over the urgent lane, its result still goes out on the lane, and other
 * callers (a heartbeat) return at once. Before, the writer held the lock that each of those takes,
 * and all of them waited for it. No timing: each step either happens or the test times out.
 */
class WorkerClientWriteOutsideLockTest {
  private final GrpcCoordinatorTransport coordinator =
      GrpcCoordinatorTransport.builder()
          .host("127.0.0.1")
          .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
          .build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  // threads of the test's own: the common pool may have a single thread on a small machine
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch stuck = new CountDownLatch(1);
  private ManagedChannel main;
  private ManagedChannel urgent;
  private WorkerClient client;

  @AfterEach
  void stop() {
    gate.countDown();
    if (client != null) {
      client.close();
    }
    if (main != null) {
      main.shutdownNow();
    }
    if (urgent != null) {
      urgent.shutdownNow();
    }
    coordinator.close();
    scheduler.shutdownNow();
    callers.shutdownNow();
  }

  /**
   * Holds the first result message sent on the main stream inside the call until the gate opens.
   */
  private final ClientInterceptor holdFirstResult =
      new ClientInterceptor() {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(
            MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
          return new ForwardingClientCall.SimpleForwardingClientCall<>(
              next.newCall(method, options)) {
            @Override
            public void sendMessage(Q message) {
              if (message instanceof WorkerMessage m
                  && m.getBodyCase() == WorkerMessage.BodyCase.RESULTS
                  && stuck.getCount() > 0) {
                stuck.countDown();
                try {
                  gate.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              super.sendMessage(message);
            }
          };
        }
      };

  /** Connects {@link #client} (main stream through {@link #holdFirstResult}) and grants 2. */
  private Fixtures.QueueingListener connect(Fixtures.QueueingAcceptor acceptor) {
    coordinator.start(acceptor);
    String target = "127.0.0.1:" + coordinator.port();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + Fixtures.WORKER_TOKEN);
    ClientInterceptor auth = MetadataUtils.newAttachHeadersInterceptor(headers);
    main = NettyChannelBuilder.forTarget(target).usePlaintext().intercept(auth).build();
    urgent = NettyChannelBuilder.forTarget(target).usePlaintext().intercept(auth).build();
    Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
    client =
        new WorkerClient(
            WorkerLinkGrpc.newStub(main).withInterceptors(holdFirstResult),
            WorkerLinkGrpc.newStub(urgent),
            Fixtures.registration("w", List.of()),
            listener,
            new ClientConfig(
                target,
                16 << 20,
                1024,
                Duration.ofSeconds(10),
                Duration.ZERO,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                null,
                scheduler),
            PayloadCodec.inlineOnly(1 << 20),
            () -> {});
    client.open();
    Fixtures.awaitLane(client);
    client.grant(2);
    assertThat(Fixtures.poll(acceptor.sessions.get("w").seen)).isEqualTo(2);
    return listener;
  }

  @Test
  void anUrgentTaskGoesThroughWhileABulkWriteIsStuck() throws Exception {
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    Fixtures.QueueingListener listener = connect(acceptor);
    Fixtures.QueueingSession session = acceptor.sessions.get("w");
    WorkerChannel channel = acceptor.channels.get("w");

    channel.assign(List.of(Fixtures.assignment(1, Priority.NORMAL)));
    assertThat(((Assignment) Fixtures.poll(listener.seen)).lease().task().value()).isEqualTo(1);
    CompletableFuture<Void> bulkSend =
        CompletableFuture.runAsync(
            () -> client.sendResults(List.of(Fixtures.result("w", 1, Bytes.of(new byte[] {1})))),
            callers);
    assertThat(stuck.await(10, TimeUnit.SECONDS)).as("the bulk write is held").isTrue();

    // the urgent assignment arrives on the lane and is handed to the worker
    channel.assign(List.of(Fixtures.assignment(2, Priority.MAX)));
    assertThat(((Assignment) Fixtures.poll(listener.seen)).lease().task().value()).isEqualTo(2);
    // a heartbeat does not wait for the stuck writer (it is queued behind its message)
    CompletableFuture.runAsync(() -> client.heartbeat(new Heartbeat(0, 0, 0, 0, 0)), callers)
        .get(10, TimeUnit.SECONDS);
    // the urgent result goes out on the lane and reaches the coordinator first
    client.sendResults(List.of(Fixtures.result("w", 2, Bytes.of(new byte[] {2}))));
    assertThat(((WorkResult) Fixtures.poll(session.seen)).lease().task().value()).isEqualTo(2);
    assertThat(bulkSend).as("the bulk write is still held").isNotDone();

    gate.countDown();
    bulkSend.get(10, TimeUnit.SECONDS);
    assertThat(((WorkResult) Fixtures.poll(session.seen)).lease().task().value()).isEqualTo(1);
    assertThat(Fixtures.poll(session.seen)).as("then the heartbeat").isInstanceOf(Heartbeat.class);
  }

  /**
   * An urgent task's assignment and result pass while another thread holds the connection's own
   * lock, as a bulk runner may while it queues a large batch (white box: the test takes that lock
   * by reflection and keeps it until the urgent result has reached the coordinator).
   */
  @Test
  void anUrgentTaskGoesThroughWhileTheConnectionsLockIsHeld() throws Exception {
    Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();
    Fixtures.QueueingListener listener = connect(acceptor);
    Fixtures.QueueingSession session = acceptor.sessions.get("w");
    WorkerChannel channel = acceptor.channels.get("w");
    java.lang.reflect.Field f = WorkerClient.class.getDeclaredField("lock");
    f.setAccessible(true);
    Object connectionLock = f.get(client);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () -> {
              synchronized (connectionLock) {
                held.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            callers);
    try {
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      channel.assign(List.of(Fixtures.assignment(7, Priority.MAX)));
      assertThat(((Assignment) Fixtures.poll(listener.seen)).lease().task().value()).isEqualTo(7);
      CompletableFuture.runAsync(
              () -> client.sendResults(List.of(Fixtures.result("w", 7, Bytes.of(new byte[] {7})))),
              callers)
          .get(10, TimeUnit.SECONDS);
      assertThat(((WorkResult) Fixtures.poll(session.seen)).lease().task().value()).isEqualTo(7);
      assertThat(holder).as("the lock is still held").isNotDone();
    } finally {
      release.countDown();
    }
    holder.get(10, TimeUnit.SECONDS);
  }
}
