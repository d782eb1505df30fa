package io.poolforge.transport.grpc;

import static io.poolforge.transport.grpc.Fixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.core.kinds.BuiltinKinds;
import io.poolforge.compute.core.kinds.Sha256Input;
import io.poolforge.compute.core.kinds.Sha256Kind;
import io.poolforge.compute.core.verify.ResultSigner;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;

/**
 * A sha256 worker driven step by step by a test over a real gRPC connection: a real Ed25519 key,
 * real signatures, and it answers only when told to (or lies when told to).
 */
final class SigningWorker {
  static final Sha256Kind SHA = BuiltinKinds.sha256();

  final String id;
  final String payout;
  final ResultSigner signer;
  final Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
  final WorkerConnection connection;

  SigningWorker(GrpcWorkerTransport transport, String id, int payoutNumber) {
    this(transport, id, payoutNumber, List.of());
  }

  SigningWorker(GrpcWorkerTransport transport, String id, int payoutNumber, List<LeaseRef> held) {
    this.id = id;
    this.payout = String.format("0x%040x", payoutNumber);
    KeyPair keys = ResultSigner.generateKeyPair();
    this.signer = ResultSigner.of(new WorkerId(id), keys.getPrivate());
    this.connection = transport.connect(registration(keys, held), listener);
  }

  private Registration registration(KeyPair keys, List<LeaseRef> held) {
    return new Registration(
        new WorkerInfo(
            new WorkerId(id),
            id,
            payout,
            ResultSigner.encode(keys.getPublic()),
            new Capabilities(Set.of(SHA.id()), Set.of("cpu"), List.of(), 0, 1, Set.of(), false)),
        null,
        held);
  }

  Assignment nextAssignment() {
    Object o = poll(listener.seen);
    assertThat(o).as("%s expected an assignment", id).isInstanceOf(Assignment.class);
    return (Assignment) o;
  }

  /** The correct, correctly signed answer to an assignment. */
  WorkResult answer(Assignment a) {
    return answer(a.lease(), a.payload());
  }

  WorkResult answer(LeaseRef lease, Bytes payload) {
    Sha256Input in = SHA.inputCodec().decode(payload);
    Bytes out = SHA.outputCodec().encode(Sha256Kind.compute(in));
    return signer.sign(lease, "cpu", out, null, 1000);
  }

  /** Answers the next {@code n} assignments correctly, one result message each. */
  void answerNext(int n) {
    for (int i = 0; i < n; i++) {
      connection.sendResults(List.of(answer(nextAssignment())));
    }
  }

  /** Heartbeats every 100 ms from a daemon thread until the connection closes. */
  SigningWorker keepAlive() {
    Thread.ofPlatform()
        .daemon()
        .name("heartbeat-" + id)
        .start(
            () -> {
              try {
                while (true) {
                  connection.heartbeat(new Heartbeat(0.1, 0, 0, 0, 0));
                  Thread.sleep(100);
                }
              } catch (PoolException | InterruptedException e) {
                // closed: stop beating
              }
            });
    return this;
  }

  PoolException closedWith() {
    Object o = poll(listener.seen);
    assertThat(o).as("%s expected its stream to end", id).isInstanceOf(PoolException.class);
    return (PoolException) o;
  }
}
