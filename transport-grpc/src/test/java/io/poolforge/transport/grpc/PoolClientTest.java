package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.store.TaskStore;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.kinds.Sha256Output;
import io.poolforge.compute.core.store.InMemoryTaskStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolClient} against a real coordinator over gRPC: submit, streamed all-or-nothing
 * submitAll, status, the results stream, cancel, and bad input.
 */
class PoolClientTest {
  private static final Sha256Kind SHA = SigningWorker.SHA;

  private GrpcCoordinatorTransport transport;
  private Pool pool;
  private PoolClient client;
  private GrpcWorkerTransport workers;
  private InMemoryTaskStore inner;
  private final AtomicBoolean storeFails = new AtomicBoolean();

  @BeforeEach
  void start() {
    transport =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .submitterTokens(Set.of(Fixtures.SUBMITTER_TOKEN))
            .build();
    inner = new InMemoryTaskStore();
    pool =
        Coordinator.builder()
            .kind(SHA)
            .transport(transport)
            .taskStore(failingWhenAsked(inner))
            .build();
    transport.attachPool(pool);
    client = client(Fixtures.SUBMITTER_TOKEN);
    workers =
        GrpcWorkerTransport.builder("127.0.0.1:" + transport.port())
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build();
  }

  /** The in-memory store, whose inserts fail while {@link #storeFails} is set. */
  private TaskStore failingWhenAsked(TaskStore store) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("insert") && storeFails.get()) {
            throw new PoolException(ErrorCode.UNAVAILABLE, "the disk is full (simulated)");
          }
          try {
            return method.invoke(store, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (TaskStore)
        Proxy.newProxyInstance(
            TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, h);
  }

  private PoolClient client(String token) {
    return PoolClient.builder("127.0.0.1:" + transport.port())
        .token(token)
        .deadline(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    workers.close();
    pool.close();
  }

  private static TaskSpec spec(String text) {
    return TaskSpec.builder(
            SHA.id(),
            SHA.inputCodec()
                .encode(Sha256Input.of(Bytes.of(text.getBytes(StandardCharsets.UTF_8)))))
        .build();
  }

  private int stored() {
    int n = 0;
    for (TaskState s : TaskState.values()) {
      n += inner.list(s, null, 10_000).items().size();
    }
    return n;
  }

  @Test
  void submitThenStatusThenTheResultOverTheEventStream() throws Exception {
    TaskId id = client.submit(spec("hello"));
    assertThat(inner.get(id)).as("durable before the reply").isPresent();
    TaskStatus queued = client.status(id);
    assertThat(queued.state()).isEqualTo(TaskState.QUEUED);
    assertThat(queued.kind()).isEqualTo(SHA.id());

    BlockingQueue<PoolEvent> seen = new LinkedBlockingQueue<>();
    client.events(List.of(id)).subscribe(collect(seen));
    Thread.sleep(200); // the stream is open before the result exists

    SigningWorker w = new SigningWorker(workers, "w", 1);
    w.connection.grant(1);
    w.answerNext(1);

    PoolEvent e = seen.poll(10, TimeUnit.SECONDS);
    assertThat(e).isInstanceOf(PoolEvent.TaskCompleted.class);
    PoolEvent.TaskCompleted done = (PoolEvent.TaskCompleted) e;
    assertThat(done.result().id()).isEqualTo(id);
    assertThat(done.result().worker().value()).isEqualTo("w");
    Sha256Output out = SHA.outputCodec().decode(done.result().output());
    assertThat(out.digests())
        .containsExactly(Sha256Kind.digest(Bytes.of("hello".getBytes(StandardCharsets.UTF_8))));
    TaskStatus completed = client.status(id);
    assertThat(completed.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(completed.worker().value()).isEqualTo("w");
  }

  @Test
  void submitAllStreamsManySpecsAndAnswersTheirIdsInOrder() throws Exception {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      specs.add(spec("task " + i));
    }
    List<TaskId> ids = client.submitAll(specs);
    assertThat(ids).hasSize(3000).doesNotHaveDuplicates();
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(a.value(), b.value()));
    assertThat(stored()).isEqualTo(3000);
    assertThat(client.status(ids.get(2999)).state()).isEqualTo(TaskState.QUEUED);
    assertThat(client.submitAll(List.of())).isEmpty();

    // the results stream follows exactly the tasks asked for
    BlockingQueue<PoolEvent> seen = new LinkedBlockingQueue<>();
    client.events(List.of(ids.get(0), ids.get(1))).subscribe(collect(seen));
    Thread.sleep(200);
    SigningWorker w = new SigningWorker(workers, "w", 1);
    w.connection.grant(5);
    w.answerNext(5);
    Set<TaskId> done = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      PoolEvent e = seen.poll(10, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(PoolEvent.TaskCompleted.class);
      done.add(((PoolEvent.TaskCompleted) e).result().id());
    }
    assertThat(done).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).as("no event of other tasks").isNull();
  }

  @Test
  void submitAllIsAllOrNothingWhenOneSpecIsBad() {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      specs.add(spec("ok " + i));
    }
    specs.set(517, TaskSpec.builder("no-such-kind", Bytes.of(new byte[] {1})).build());
    assertThatThrownBy(() -> client.submitAll(specs))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("specs[517]", "kind", "no-such-kind");
            });
    assertThat(stored()).as("none of the call was submitted").isZero();
    assertThat(pool.query(TaskState.QUEUED, null, 1000).items()).isEmpty();
  }

  @Test
  void submitAllIsAllOrNothingWhenTheStoreWriteFails() {
    storeFails.set(true);
    List<TaskSpec> specs = List.of(spec("a"), spec("b"), spec("c"));
    assertThatThrownBy(() -> client.submitAll(specs))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage()).contains("none was submitted", "disk is full");
            });
    storeFails.set(false);
    assertThat(stored()).isZero();
    assertThat(pool.query(TaskState.QUEUED, null, 1000).items()).isEmpty();
    // and the next call goes through
    assertThat(client.submitAll(specs)).hasSize(3);
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void submitAllRefusesMoreThanTheLimitBeforeSendingAnything() {
    List<TaskSpec> specs = new ArrayList<>();
    TaskSpec one = spec("x");
    for (int i = 0; i <= 10_000; i++) {
      specs.add(one);
    }
    assertThatThrownBy(() -> client.submitAll(specs))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("specs", "10000");
            });
    assertThat(stored()).isZero();
  }

  @Test
  void cancelEndsAQueuedTaskOnceAndRefusesUnknownIds() {
    TaskId id = client.submit(spec("doomed"));
    assertThat(client.cancel(id)).isTrue();
    TaskStatus s = client.status(id);
    assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(s.failure()).isNotNull();
    assertThat(client.cancel(id)).as("already ended").isFalse();
    assertThatThrownBy(() -> client.cancel(new TaskId(424_242)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void badInputIsRefusedWithAClearError() {
    assertThatThrownBy(() -> client.status(new TaskId(424_242)))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> client.submit(TaskSpec.builder("nope", Bytes.of(new byte[1])).build()))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("kind", "nope");
            });
    assertThatThrownBy(
            () -> client.submit(TaskSpec.builder(SHA.id(), Bytes.of(new byte[] {9, 9})).build()))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThatThrownBy(() -> client.submit(null))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.getMessage()).contains("spec"));
    try (PoolClient intruder = client("not-the-submitter-token-000")) {
      assertThatThrownBy(() -> intruder.submit(spec("x")))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
    try (PoolClient workerToken = client(Fixtures.WORKER_TOKEN)) {
      assertThatThrownBy(() -> workerToken.status(new TaskId(1)))
          .as("a worker token does not make a submitter")
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
    assertThat(stored()).isZero();
    assertThat(client.submit(spec("still fine"))).isNotNull();
  }

  private static Flow.Subscriber<PoolEvent> collect(BlockingQueue<PoolEvent> into) {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(PoolEvent e) {
        into.add(e);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    };
  }
}
