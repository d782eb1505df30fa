package io.poolforge.transport.grpc;

import static io.poolforge.transport.grpc.Fixtures.poll;
import static io.poolforge.transport.grpc.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.transport.WorkerConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, mutual TLS and bearer tokens, with certificates generated at test time. */
class GrpcSecurityTest {
  @TempDir static Path dir;
  static TestCertificates certs;
  static Path[] workerCert;
  static Path[] rogueCert;
  static GrpcCoordinatorTransport coordinator;
  static Fixtures.QueueingAcceptor acceptor = new Fixtures.QueueingAcceptor();

  @BeforeAll
  static void start() throws Exception {
    certs = new TestCertificates(dir);
    workerCert = certs.signed("worker1", "CN=worker-1", false);
    rogueCert = certs.selfSigned("rogue");
    coordinator =
        GrpcCoordinatorTransport.builder()
            .host("127.0.0.1")
            .tls(certs.serverChain, certs.serverKey)
            .clientCa(certs.caCert)
            .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
            .submitterTokens(Set.of(Fixtures.SUBMITTER_TOKEN))
            .build();
    coordinator.start(acceptor);
  }

  @AfterAll
  static void stop() {
    coordinator.close();
  }

  private GrpcWorkerTransport.Builder worker() {
    return GrpcWorkerTransport.builder("localhost:" + coordinator.port())
        .tls(certs.caCert)
        .reconnect(Duration.ZERO, Duration.ofMillis(100))
        .connectTimeout(Duration.ofSeconds(10));
  }

  @Test
  void aWorkerWithACertificateFromTheCaIsAcceptedOverMutualTls() {
    try (GrpcWorkerTransport t = worker().clientCertificate(workerCert[0], workerCert[1]).build()) {
      Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
      WorkerConnection c = t.connect(registration("mtls-1", List.of()), listener);
      c.grant(1);
      assertThat(poll(acceptor.sessions.get("mtls-1").seen)).isEqualTo(1);
      acceptor.channels.get("mtls-1").revoke(List.of(new TaskId(5)));
      assertThat(poll(listener.seen)).isEqualTo(new TaskId(5));
    }
  }

  @Test
  void aWorkerWithATokenIsAcceptedOverTls() {
    try (GrpcWorkerTransport t = worker().token(Fixtures.WORKER_TOKEN).build()) {
      t.connect(registration("token-1", List.of()), new Fixtures.QueueingListener());
      assertThat(acceptor.sessions).containsKey("token-1");
    }
  }

  @Test
  void aWorkerWithNeitherCertificateNorTokenIsUnauthenticated() {
    try (GrpcWorkerTransport t = worker().build()) {
      assertThatThrownBy(
              () -> t.connect(registration("anon-1", List.of()), new Fixtures.QueueingListener()))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                assertThat(e.getMessage()).contains("no bearer token or client certificate");
              });
      assertThat(acceptor.sessions).doesNotContainKey("anon-1");
    }
  }

  @Test
  void aSubmitterTokenDoesNotAuthenticateAWorker() {
    try (GrpcWorkerTransport t = worker().token(Fixtures.SUBMITTER_TOKEN).build()) {
      assertThatThrownBy(
              () -> t.connect(registration("sub-1", List.of()), new Fixtures.QueueingListener()))
          .isInstanceOfSatisfying(
              PoolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                assertThat(e.getMessage()).contains("not valid for poolforge.v1.WorkerLink");
              });
    }
  }

  @Test
  void aWrongTokenIsUnauthenticated() {
    try (GrpcWorkerTransport t = worker().token("not-the-right-token-at-all").build()) {
      assertThatThrownBy(
              () -> t.connect(registration("wrong-1", List.of()), new Fixtures.QueueingListener()))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
  }

  @Test
  void aCertificateTheCaNeverSignedIsRefusedAtTheHandshake() {
    try (GrpcWorkerTransport t = worker().clientCertificate(rogueCert[0], rogueCert[1]).build()) {
      assertThatThrownBy(
              () -> t.connect(registration("rogue-1", List.of()), new Fixtures.QueueingListener()))
          .isInstanceOf(PoolException.class);
      assertThat(acceptor.sessions).doesNotContainKey("rogue-1");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheServerCannotConnect() {
    try (GrpcWorkerTransport t =
        GrpcWorkerTransport.builder("localhost:" + coordinator.port())
            .tls(rogueCert[0])
            .token(Fixtures.WORKER_TOKEN)
            .reconnect(Duration.ZERO, Duration.ofMillis(100))
            .build()) {
      assertThatThrownBy(
              () ->
                  t.connect(registration("distrust-1", List.of()), new Fixtures.QueueingListener()))
          .isInstanceOfSatisfying(
              PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
  }

  @Test
  void aCoordinatorWithoutAnyAuthenticationIsRefusedAtBuild() {
    assertThatThrownBy(() -> GrpcCoordinatorTransport.builder().build())
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains("authentication");
            });
  }

  @Test
  void shortTokensAreRefused() {
    assertThatThrownBy(() -> GrpcCoordinatorTransport.builder().workerTokens(Set.of("short")))
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.getMessage()).contains("workerTokens"));
  }
}
