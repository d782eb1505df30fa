package io.poolforge.compute.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.DeviceInfo;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerTransport;
import io.poolforge.compute.api.verify.Attestation;
import io.poolforge.compute.core.verify.ResultSigner;
import io.poolforge.compute.tck.TransportRecorders.Assigned;
import io.poolforge.compute.tck.TransportRecorders.Beat;
import io.poolforge.compute.tck.TransportRecorders.Closed;
import io.poolforge.compute.tck.TransportRecorders.Credit;
import io.poolforge.compute.tck.TransportRecorders.RecordingAcceptor;
import io.poolforge.compute.tck.TransportRecorders.RecordingListener;
import io.poolforge.compute.tck.TransportRecorders.RecordingSession;
import io.poolforge.compute.tck.TransportRecorders.Results;
import io.poolforge.compute.tck.TransportRecorders.Revoked;
import io.poolforge.compute.tck.TransportRecorders.Saved;
import io.poolforge.compute.tck.TransportRecorders.Seen;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every coordinator/worker transport pair must honour, whatever carries the bytes. A
 * transport subclasses it with two overrides (three with authentication):
 *
 * <pre>{@code
 * class MyTransportContractTest extends TransportContractTest {
 *   protected CoordinatorTransport newCoordinator() { ... }
 *   protected WorkerTransport newWorker(CoordinatorTransport started) { ... }
 * }
 * }</pre>
 *
 * <p>The worker transports it asks for must not reconnect on their own (a closed connection must
 * surface as {@code onClosed}), and should answer within {@link #timeout()}. The coordinator and
 * the worker runtime are played by recording test doubles.
 *
 * <p>Not thread-safe; JUnit runs each test on one instance.
 *
 * @since 0.1.0
 */
public abstract class TransportContractTest {
  private static final AtomicInteger NEXT_WORKER = new AtomicInteger();
  private static final AtomicInteger NEXT_TASK = new AtomicInteger(1);

  private @Nullable CoordinatorTransport coordinator;
  private final List<WorkerTransport> workerTransports = new CopyOnWriteArrayList<>();
  private final List<WorkerConnection> connections = new CopyOnWriteArrayList<>();

  private final RecordingAcceptor acceptor = new RecordingAcceptor();

  private final KeyPair keys = ed25519();

  /**
   * Creates the coordinator's end, not yet started.
   *
   * @return a new transport
   */
  protected abstract CoordinatorTransport newCoordinator();

  /**
   * Creates a worker's end that reaches {@code started}, authenticated where the transport
   * authenticates, and that does not reconnect on its own.
   *
   * @param started the started coordinator transport
   * @return a new worker transport
   */
  protected abstract WorkerTransport newWorker(CoordinatorTransport started);

  /**
   * Creates a worker's end that presents no credentials, for transports that authenticate.
   *
   * @param started the started coordinator transport
   * @return the transport, or empty when this transport has no authentication to test
   */
  protected Optional<WorkerTransport> newUnauthenticatedWorker(CoordinatorTransport started) {
    return Optional.empty();
  }

  /**
   * How long to wait for something to arrive.
   *
   * @return the timeout
   */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** Starts the coordinator transport with a recording acceptor. */
  @BeforeEach
  void startCoordinator() {
    coordinator = newCoordinator();
    coordinator.start(acceptor);
  }

  /** Closes everything the test opened. */
  @AfterEach
  void closeAll() {
    for (WorkerConnection c : connections) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // already closed by the test
      }
    }
    for (WorkerTransport t : workerTransports) {
      t.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** What one connected worker looks like from both ends. */
  record Link(
      Registration registration,
      WorkerConnection connection,
      RecordingListener listener,
      RecordingSession session,
      WorkerChannel channel) {}

  CoordinatorTransport coordinator() {
    if (coordinator == null) {
      throw new IllegalStateException("not started");
    }
    return coordinator;
  }

  WorkerTransport workerTransport() {
    WorkerTransport t = newWorker(coordinator());
    workerTransports.add(t);
    return t;
  }

  static Registration registration(String id, List<LeaseRef> held, @Nullable Attestation a) {
    Capabilities caps =
        new Capabilities(
            Set.of("sha256", "modexp"),
            Set.of("cpu"),
            List.of(new DeviceInfo("cpu", "test cpu", 1L << 30, 2, false)),
            1L << 30,
            4,
            Set.of("eu"),
            a != null);
    return new Registration(
        new WorkerInfo(
            new WorkerId(id), "owner-1", "0xabc123", Bytes.of(new byte[] {1, 2, 3, 4}), caps),
        a,
        held);
  }

  static String newWorkerId() {
    return "w-" + NEXT_WORKER.incrementAndGet();
  }

  Link connect() {
    return connect(registration(newWorkerId(), List.of(), null));
  }

  Link connect(Registration registration) {
    RecordingListener listener = new RecordingListener();
    WorkerConnection c = workerTransport().connect(registration, listener);
    connections.add(c);
    String id = registration.worker().id().value();
    RecordingSession session = acceptor.sessions.get(id);
    WorkerChannel channel = acceptor.channels.get(id);
    assertThat(session).as("the acceptor saw " + id + " before connect returned").isNotNull();
    return new Link(registration, c, listener, session, channel);
  }

  Seen next(RecordingSession s, String what) {
    return TransportRecorders.poll(s.seen, timeout(), what);
  }

  Seen next(RecordingListener l, String what) {
    return TransportRecorders.poll(l.seen, timeout(), what);
  }

  void grantAndAwait(Link link, int credits) {
    link.connection().grant(credits);
    assertThat(next(link.session(), "credit")).isEqualTo(new Credit(credits));
  }

  static Assignment assignment(int size) {
    TaskId id = new TaskId(NEXT_TASK.getAndIncrement());
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) (i * 31 + id.value());
    }
    return new Assignment(
        new LeaseRef(id, 1),
        "sha256",
        Bytes.wrap(payload),
        Instant.parse("2030-01-01T00:00:00.123456789Z"),
        null);
  }

  WorkResult result(Registration r, LeaseRef lease, Bytes output) {
    WorkerId worker = r.worker().id();
    return signer(worker).sign(lease, "cpu", output, null, 1234);
  }

  WorkResult failedResult(Registration r, LeaseRef lease) {
    WorkerId worker = r.worker().id();
    TaskStatus.Failure f =
        new TaskStatus.Failure(ErrorCode.INVALID_ARGUMENT, "payload: bad length");
    return signer(worker).sign(lease, "cpu", Bytes.EMPTY, f, 7);
  }

  /** Signs results as one batch, as a worker does: each carries the signature and its proof. */
  List<WorkResult> signBatch(Registration r, List<WorkResult> results) {
    return signer(r.worker().id()).signBatch(results);
  }

  static void assertRefusedAsUnavailableOrIgnored(Runnable send) {
    try {
      send.run();
    } catch (PoolException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
  }

  private ResultSigner signer(WorkerId worker) {
    return ResultSigner.of(worker, keys.getPrivate());
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
    }
  }

  /** Connecting and registering. */
  @Nested
  class Registering {
    @Test
    void registrationReachesTheAcceptorIntact() {
      Attestation attestation =
          new Attestation("sgx-dcap", Bytes.of("quote".getBytes(StandardCharsets.UTF_8)));
      List<LeaseRef> held = List.of(new LeaseRef(new TaskId(7), 2), new LeaseRef(new TaskId(9), 1));
      Registration r = registration(newWorkerId(), held, attestation);

      connect(r);

      Registration seen = acceptor.registrations.poll();
      assertThat(seen).isEqualTo(r);
    }

    @Test
    void refusalSurfacesAsTheThrownCodeOnTheWorker() {
      String id = newWorkerId();
      acceptor.refusals.put(
          id, new PoolException(ErrorCode.UNAUTHENTICATED, "attestation: quote is stale"));

      assertThatThrownBy(() -> connect(registration(id, List.of(), null)))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                assertThat(e.getMessage()).contains("attestation: quote is stale");
              });
    }

    @Test
    void invalidArgumentRefusalKeepsTheFieldAndMessage() {
      String id = newWorkerId();
      acceptor.refusals.put(
          id, PoolException.invalidArgument("capabilities.kinds", "names no kind this pool runs"));

      assertThatThrownBy(() -> connect(registration(id, List.of(), null)))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("capabilities.kinds", "names no kind");
              });
    }

    @Test
    void aRefusedWorkerDoesNotDisturbAConnectedOne() {
      Link good = connect();
      String bad = newWorkerId();
      acceptor.refusals.put(bad, new PoolException(ErrorCode.UNAUTHENTICATED, "no"));
      assertThatThrownBy(() -> connect(registration(bad, List.of(), null)))
          .isInstanceOf(PoolException.class);

      grantAndAwait(good, 1);
      good.channel().assign(List.of(assignment(8)));
      assertThat(next(good.listener(), "assignment")).isInstanceOf(Assigned.class);
    }

    @Test
    void anUnauthenticatedWorkerIsRefusedBeforeTheAcceptor() {
      Optional<WorkerTransport> anonymous = newUnauthenticatedWorker(coordinator());
      assumeTrue(anonymous.isPresent(), "this transport has no authentication");
      workerTransports.add(anonymous.get());
      Registration r = registration(newWorkerId(), List.of(), null);

      assertThatThrownBy(() -> anonymous.get().connect(r, new RecordingListener()))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
      assertThat(acceptor.registrations).isEmpty();
    }

    @Test
    void anAcceptorThatFailsUnexpectedlyRefusesOnlyThatWorker() {
      String id = newWorkerId();
      acceptor.refusals.put(id, new IllegalStateException("acceptor bug"));

      // a bug in the acceptor is not the worker's fault: the worker must be refused, and nobody
      // else disturbed; the transport may report it as INTERNAL or pass the exception through
      assertThatThrownBy(() -> connect(registration(id, List.of(), null)))
          .isInstanceOf(RuntimeException.class);
      Link other = connect();
      grantAndAwait(other, 2);
    }
  }

  /** Credit-based flow control. */
  @Nested
  class Credits {
    @Test
    void grantsReachTheSessionInOrder() {
      Link link = connect();
      link.connection().grant(3);
      link.connection().grant(4);
      assertThat(next(link.session(), "first grant")).isEqualTo(new Credit(3));
      assertThat(next(link.session(), "second grant")).isEqualTo(new Credit(4));
    }

    @Test
    void assignmentsWithinCreditArriveIntactAndInOrder() {
      Link link = connect();
      grantAndAwait(link, 5);
      List<Assignment> batch = List.of(assignment(0), assignment(64), assignment(1000));
      Assignment withCheckpoint =
          new Assignment(
              new LeaseRef(new TaskId(NEXT_TASK.getAndIncrement()), 3),
              "modexp",
              Bytes.of(new byte[] {9}),
              Instant.parse("2031-05-06T07:08:09Z"),
              Bytes.of(new byte[] {4, 5}));

      link.channel().assign(batch);
      link.channel().assign(List.of(withCheckpoint));

      List<Assignment> got = new ArrayList<>();
      while (got.size() < 4) {
        got.addAll(((Assigned) next(link.listener(), "assignments")).assignments());
      }
      List<Assignment> expected = new ArrayList<>(batch);
      expected.add(withCheckpoint);
      assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void assigningWithoutCreditIsRefused() {
      Link link = connect();
      assertThatThrownBy(() -> link.channel().assign(List.of(assignment(1))))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
      assertThat(link.listener().received()).isZero();
    }

    @Test
    void assigningBeyondCreditIsRefusedWholeAndCreditIsConsumed() {
      Link link = connect();
      grantAndAwait(link, 2);

      assertThatThrownBy(
              () -> link.channel().assign(List.of(assignment(1), assignment(1), assignment(1))))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
                assertThat(e.getMessage()).contains("credit");
              });
      link.channel().assign(List.of(assignment(1), assignment(1)));
      assertThatThrownBy(() -> link.channel().assign(List.of(assignment(1))))
          .isInstanceOf(PoolException.class);

      grantAndAwait(link, 1);
      link.channel().assign(List.of(assignment(1)));
      int received = 0;
      while (received < 3) {
        received += ((Assigned) next(link.listener(), "assignments")).assignments().size();
      }
      assertThat(link.listener().received()).isEqualTo(3);
    }

    @Test
    void aLargeBatchWithinCreditArrivesCompletely() {
      Link link = connect();
      grantAndAwait(link, 5000);
      List<Assignment> batch = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        batch.add(assignment(64));
      }
      link.channel().assign(batch);
      List<Assignment> got = new ArrayList<>();
      while (got.size() < 5000) {
        got.addAll(((Assigned) next(link.listener(), "assignments")).assignments());
      }
      assertThat(got).containsExactlyElementsOf(batch);
    }
  }

  /** What the worker sends. */
  @Nested
  class WorkerMessages {
    @Test
    void resultsHeartbeatsAndCheckpointsArriveInTheOrderSent() {
      Link link = connect();
      LeaseRef lease = new LeaseRef(new TaskId(NEXT_TASK.getAndIncrement()), 1);
      WorkResult ok = result(link.registration(), lease, Bytes.of(new byte[] {1, 2, 3}));
      WorkResult failed =
          failedResult(
              link.registration(), new LeaseRef(new TaskId(NEXT_TASK.getAndIncrement()), 2));
      Heartbeat beat = new Heartbeat(0.5, 0.25, 1 << 20, 3, 4);
      Bytes state = Bytes.of(new byte[] {42});

      link.connection().heartbeat(beat);
      link.connection().checkpoint(lease, state);
      List<WorkResult> signed = signBatch(link.registration(), List.of(ok, failed));
      link.connection().sendResults(signed);
      link.connection().grant(1);
      link.connection().heartbeat(new Heartbeat(0, 0, 0, 0, 0));

      assertThat(next(link.session(), "heartbeat")).isEqualTo(new Beat(beat));
      assertThat(next(link.session(), "checkpoint")).isEqualTo(new Saved(lease, state));
      assertThat(next(link.session(), "results")).isEqualTo(new Results(signed));
      assertThat(next(link.session(), "grant")).isEqualTo(new Credit(1));
      assertThat(next(link.session(), "heartbeat"))
          .isEqualTo(new Beat(new Heartbeat(0, 0, 0, 0, 0)));
      assertThat(link.session().overlapped).as("session calls overlapped").isFalse();
    }

    @Test
    void manyResultBatchesArriveCompletelyAndInOrder() {
      Link link = connect();
      List<WorkResult> sent = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        List<WorkResult> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          LeaseRef lease = new LeaseRef(new TaskId(NEXT_TASK.getAndIncrement()), 1);
          batch.add(result(link.registration(), lease, Bytes.of(new byte[32])));
        }
        batch = signBatch(link.registration(), batch);
        link.connection().sendResults(batch);
        sent.addAll(batch);
      }
      List<WorkResult> got = new ArrayList<>();
      while (got.size() < sent.size()) {
        got.addAll(((Results) next(link.session(), "results")).results());
      }
      assertThat(got).containsExactlyElementsOf(sent);
    }

    @Test
    void workersAreKeptApart() {
      Link a = connect();
      Link b = connect();
      a.connection().grant(1);
      b.connection().grant(2);
      assertThat(next(a.session(), "a's grant")).isEqualTo(new Credit(1));
      assertThat(next(b.session(), "b's grant")).isEqualTo(new Credit(2));
      grantAndAwait(a, 1);
      b.channel().assign(List.of(assignment(3)));
      assertThat(next(b.listener(), "b's assignment")).isInstanceOf(Assigned.class);
      assertThat(a.listener().received()).isZero();
    }
  }

  /** Withdrawing work. */
  @Nested
  class Revoking {
    @Test
    void revokeReachesTheWorker() {
      Link link = connect();
      grantAndAwait(link, 1);
      Assignment a = assignment(4);
      link.channel().assign(List.of(a));
      assertThat(next(link.listener(), "assignment")).isEqualTo(new Assigned(List.of(a)));

      link.channel().revoke(List.of(a.lease().task(), new TaskId(999_999)));

      assertThat(next(link.listener(), "revoke"))
          .isEqualTo(new Revoked(List.of(a.lease().task(), new TaskId(999_999))));
    }
  }

  /** Ending connections. */
  @Nested
  class Closing {
    @Test
    void aWorkersCloseReachesBothSidesAsClean() {
      Link link = connect();
      link.connection().heartbeat(new Heartbeat(0.1, 0, 0, 0, 0));
      link.connection().close();

      assertThat(next(link.session(), "heartbeat sent before close")).isInstanceOf(Beat.class);
      assertThat(next(link.session(), "session close")).isEqualTo(new Closed(null));
      assertThat(next(link.listener(), "listener close")).isEqualTo(new Closed(null));
      link.connection().close();
    }

    @Test
    void theCoordinatorClosingAChannelReachesBothSidesWithItsReason() {
      Link link = connect();
      link.channel()
          .close(new PoolException(ErrorCode.FAILED_PRECONDITION, "quarantined: bad results"));

      Closed atWorker = (Closed) next(link.listener(), "listener close");
      assertThat(atWorker.reason()).isNotNull();
      assertThat(atWorker.reason().code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
      assertThat(atWorker.reason().getMessage()).contains("quarantined: bad results");
      Closed atCoordinator = (Closed) next(link.session(), "session close");
      assertThat(atCoordinator.reason()).isNotNull();
    }

    @Test
    void nothingSentAfterCloseIsDelivered() {
      Link link = connect();
      link.connection().close();
      assertThat(next(link.session(), "session close")).isInstanceOf(Closed.class);

      // a transport may ignore a send on a closed connection or refuse it with UNAVAILABLE
      assertRefusedAsUnavailableOrIgnored(() -> link.connection().grant(1));
      assertRefusedAsUnavailableOrIgnored(() -> link.channel().revoke(List.of(new TaskId(1))));
      assertThat(link.session().seen).isEmpty();
      assertThat(link.listener().seen).allMatch(s -> s instanceof Closed);
    }

    @Test
    void closingTheCoordinatorTransportEndsEveryConnection() {
      Link a = connect();
      Link b = connect();
      coordinator().close();

      for (Link l : List.of(a, b)) {
        Closed atWorker = (Closed) next(l.listener(), "listener close");
        assertThat(atWorker.reason())
            .as("a coordinator shutdown is not a clean worker close")
            .isNotNull();
        Closed atCoordinator = (Closed) next(l.session(), "session close");
        assertThat(atCoordinator).isNotNull();
      }
    }
  }

  /** Bad input is refused with a clear code and disturbs nothing else. */
  @Nested
  class BadInput {
    @Test
    void aGrantMustBePositive() {
      Link link = connect();
      for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
        assertThatThrownBy(() -> link.connection().grant(bad))
            .isInstanceOfSatisfying(
                PoolException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                  assertThat(e.getMessage()).contains("credits");
                });
      }
      grantAndAwait(link, 1);
    }

    @Test
    void nullArgumentsAreRefusedWithInvalidArgument() {
      Link link = connect();
      WorkerTransport t = workerTransport();
      assertThatThrownBy(() -> t.connect(null, new RecordingListener()))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      assertThatThrownBy(() -> link.connection().sendResults(null))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      assertThatThrownBy(() -> link.channel().assign(null))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
      grantAndAwait(link, 1);
    }

    @Test
    void emptyBatchesAreHarmless() {
      Link link = connect();
      link.connection().sendResults(List.of());
      link.channel().assign(List.of());
      link.channel().revoke(List.of());
      link.connection().grant(2);
      Seen s = next(link.session(), "grant");
      while (s instanceof Results r && r.results().isEmpty()) {
        s = next(link.session(), "grant after an empty batch");
      }
      assertThat(s).isEqualTo(new Credit(2));
      assertThat(link.listener().received()).isZero();
    }
  }
}
