package io.poolforge.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.transport.CoordinatorTransport;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerSession;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * An urgent result on the lane reaches the session while the session is still handling a bulk batch
 * from the main stream (as {@link WorkerSession} allows), instead of waiting for it; and the
 * session hears of the end only after that bulk batch returns. The session here blocks in the bulk
 * batch, as a coordinator's signature checks on a starved low-priority thread would. No timing
 * except a bounded wait for something that must not happen.
 */
class GrpcUrgentResultOverlapTest {
  /** A session that holds the batch answering task 1 until released; records what it sees. */
  private static final class HoldingAcceptor implements CoordinatorTransport.Acceptor {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    final CountDownLatch bulkEntered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicReference<@Nullable WorkerChannel> channel = new AtomicReference<>();

    @Override
    public WorkerSession accept(Registration registration, WorkerChannel ch) {
      channel.set(ch);
      return new WorkerSession() {
        @Override
        public void onCredit(int credits) {
          seen.add("credit " + credits);
        }

        @Override
        public void onResults(List<WorkResult> results) {
          for (WorkResult r : results) {
            if (r.lease().task().value() == 1) {
              bulkEntered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            seen.add("result " + r.lease().task().value());
          }
        }

        @Override
        public void onHeartbeat(Heartbeat heartbeat) {}

        @Override
        public void onCheckpoint(LeaseRef lease, Bytes state) {}

        @Override
        public void onClosed(@Nullable PoolException reason) {
          seen.add("closed");
        }
      };
    }
  }

  private static String next(BlockingQueue<String> q) throws InterruptedException {
    String s = q.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("something arrives within 10 s").isNotNull();
    return s;
  }

  @Test
  void anUrgentResultIsDeliveredWhileABulkBatchIsBeingHandled() throws Exception {
    HoldingAcceptor acceptor = new HoldingAcceptor();
    try (GrpcCoordinatorTransport coordinator =
            GrpcCoordinatorTransport.builder()
                .host("127.0.0.1")
                .workerTokens(Set.of(Fixtures.WORKER_TOKEN))
                .build();
        GrpcWorkerTransport workers =
            GrpcWorkerTransport.builder("127.0.0.1:" + started(coordinator, acceptor))
                .token(Fixtures.WORKER_TOKEN)
                .reconnect(Duration.ZERO, Duration.ofMillis(100))
                .build()) {
      Fixtures.QueueingListener listener = new Fixtures.QueueingListener();
      WorkerConnection c = workers.connect(Fixtures.registration("w", List.of()), listener);
      Fixtures.awaitLane(c);
      c.grant(2);
      assertThat(next(acceptor.seen)).isEqualTo("credit 2");
      WorkerChannel channel = acceptor.channel.get();
      assertThat(channel).isNotNull();
      channel.assign(
          List.of(Fixtures.assignment(1, Priority.NORMAL), Fixtures.assignment(2, Priority.MAX)));
      Fixtures.poll(listener.seen);
      Fixtures.poll(listener.seen);

      c.sendResults(List.of(Fixtures.result("w", 1, Bytes.of(new byte[] {1}))));
      assertThat(acceptor.bulkEntered.await(10, TimeUnit.SECONDS)).isTrue();
      c.sendResults(List.of(Fixtures.result("w", 2, Bytes.of(new byte[] {2}))));
      assertThat(next(acceptor.seen))
          .as("the urgent result, during the bulk batch")
          .isEqualTo("result 2");

      c.close();
      assertThat(acceptor.seen.poll(300, TimeUnit.MILLISECONDS))
          .as("nothing, in particular no end, while the bulk batch is being handled")
          .isNull();
      acceptor.release.countDown();
      assertThat(next(acceptor.seen)).isEqualTo("result 1");
      assertThat(next(acceptor.seen)).as("the end comes after the bulk batch").isEqualTo("closed");
    } finally {
      acceptor.release.countDown();
    }
  }

  private static int started(GrpcCoordinatorTransport t, CoordinatorTransport.Acceptor a) {
    t.start(a);
    return t.port();
  }
}
