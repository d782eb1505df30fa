package io.poolforge.compute.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.Capabilities;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.Priority;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.Heartbeat;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.Registration;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.transport.WorkerChannel;
import io.poolforge.compute.api.transport.WorkerConnection;
import io.poolforge.compute.api.transport.WorkerListener;
import io.poolforge.compute.api.transport.WorkerSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process transport's urgent messages: an urgent assignment and an urgent result get through
 * while every shared delivery thread is held by other connections; on an idle connection they are
 * delivered on the sender's thread, behind a busy one on the urgent thread right after the delivery
 * in hand; they overtake what their connection has waiting, never overlap it, and everything else
 * keeps the order it was sent in.
 */
class InProcessUrgentLaneTest {
  private static final int SHARED_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final InProcessTransport transport = InProcessTransport.create();
  private final Map<String, WorkerChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<List<WorkResult>>> results = new ConcurrentHashMap<>();
  private final Set<String> holdResults = ConcurrentHashMap.newKeySet();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(SHARED_THREADS);
  private volatile @Nullable Runnable overlapWatch;

  /** The priority of the thread each task's assignment was delivered on. */
  private final Map<TaskId, Integer> deliveredAtPriority = new ConcurrentHashMap<>();

  /** The thread each task's assignment was delivered on. */
  private final Map<TaskId, Thread> deliveredOn = new ConcurrentHashMap<>();

  InProcessUrgentLaneTest() {
    transport
        .coordinator()
        .start(
            (registration, channel) -> {
              String id = registration.worker().id().value();
              channels.put(id, channel);
              BlockingQueue<List<WorkResult>> seen = new LinkedBlockingQueue<>();
              results.put(id, seen);
              return new WorkerSession() {
                @Override
                public void onCredit(int credits) {}

                @Override
                public void onResults(List<WorkResult> batch) {
                  if (holdResults.contains(id)) {
                    hold();
                  }
                  Runnable watch = overlapWatch;
                  if (watch != null) {
                    watch.run();
                  }
                  seen.add(batch);
                }

                @Override
                public void onHeartbeat(Heartbeat heartbeat) {}

                @Override
                public void onCheckpoint(LeaseRef lease, Bytes state) {}

                @Override
                public void onClosed(@Nullable PoolException reason) {}
              };
            });
  }

  @AfterEach
  void close() {
    release.countDown();
    transport.close();
  }

  private void hold() {
    held.countDown();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A worker whose listener records what it gets; {@code holding}: holds the thread first, on
   * normal-priority assignments only.
   */
  private WorkerConnection connect(String id, BlockingQueue<Object> seen, boolean holding) {
    WorkerConnection c =
        transport
            .worker()
            .connect(
                new Registration(
                    new WorkerInfo(
                        new WorkerId(id),
                        "owner-" + id,
                        "pay-" + id,
                        Bytes.of(new byte[32]),
                        new Capabilities(
                            Set.of("echo"), Set.of("cpu"), List.of(), 0, 1, Set.of(), false)),
                    null,
                    List.of()),
                new WorkerListener() {
                  @Override
                  public void onAssignments(List<Assignment> batch) {
                    if (holding && batch.get(0).priority() < Priority.HIGH) {
                      hold();
                    }
                    int priority = Thread.currentThread().getPriority();
                    for (Assignment a : batch) {
                      deliveredAtPriority.put(a.lease().task(), priority);
                      deliveredOn.put(a.lease().task(), Thread.currentThread());
                    }
                    seen.addAll(batch);
                  }

                  @Override
                  public void onRevoked(List<TaskId> tasks) {
                    seen.add(tasks);
                  }

                  @Override
                  public void onClosed(@Nullable PoolException reason) {}
                });
    c.grant(100);
    return c;
  }

  private static Assignment assignment(long task, int priority) {
    return new Assignment(
        new LeaseRef(new TaskId(task), 1),
        "echo",
        Bytes.of(new byte[] {1}),
        Instant.now().plusSeconds(60),
        null,
        priority);
  }

  private static WorkResult result(String worker, long task) {
    return new WorkResult(
        new LeaseRef(new TaskId(task), 1),
        new WorkerId(worker),
        "cpu",
        Bytes.of(new byte[] {2}),
        null,
        0,
        Bytes.EMPTY);
  }

  private WorkerChannel channel(String id) throws InterruptedException {
    for (int i = 0; i < 1_000 && !channels.containsKey(id); i++) {
      Thread.sleep(5);
    }
    return channels.get(id);
  }

  /** Holds every shared delivery thread with a normal assignment to a holding worker each. */
  private void holdTheSharedThreads() throws InterruptedException {
    for (int i = 0; i < SHARED_THREADS; i++) {
      String id = "holder-" + i;
      connect(id, new LinkedBlockingQueue<>(), true);
      channel(id).assign(List.of(assignment(1_000 + i, Priority.NORMAL)));
    }
    assertThat(held.await(10, TimeUnit.SECONDS)).as("every shared thread held").isTrue();
  }

  @Test
  void onAnIdleConnectionAnUrgentMessageIsDeliveredOnTheSendersThreadAndBulkOnesBelowNormal()
      throws Exception {
    BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    connect("p", seen, false);
    WorkerChannel p = channel("p");

    p.assign(List.of(assignment(2, Priority.HIGH)));
    assertThat(deliveredOn).as("delivered before assign returned").containsKey(new TaskId(2));
    assertThat(deliveredOn.get(new TaskId(2))).isSameAs(Thread.currentThread());
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();

    p.assign(List.of(assignment(1, Priority.NORMAL)));
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(deliveredOn.get(new TaskId(1))).isNotSameAs(Thread.currentThread());
    assertThat(deliveredAtPriority).containsEntry(new TaskId(1), Thread.MIN_PRIORITY);
  }

  @Test
  void behindADeliveryInHandAnUrgentMessageFollowsItOnTheUrgentThreadAheadOfTheBacklog()
      throws Exception {
    BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    connect("b", seen, true); // holds its normal-priority deliveries
    WorkerChannel b = channel("b");

    b.assign(List.of(assignment(1, Priority.NORMAL)));
    for (int i = 0; i < 1_000 && held.getCount() == SHARED_THREADS; i++) {
      Thread.sleep(5);
    }
    assertThat(held.getCount()).as("the first delivery is in hand").isEqualTo(SHARED_THREADS - 1);
    b.assign(List.of(assignment(2, Priority.NORMAL))); // waits behind it
    b.assign(List.of(assignment(3, Priority.HIGH))); // must not overlap the one in hand
    Thread.sleep(100);
    assertThat(deliveredOn).as("nothing overlaps the delivery in hand").isEmpty();

    release.countDown();
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(1);
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value())
        .as("the urgent one goes ahead of the one that waited")
        .isEqualTo(3);
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(2);
    assertThat(deliveredAtPriority)
        .containsEntry(new TaskId(3), Thread.MAX_PRIORITY)
        .containsEntry(new TaskId(2), Thread.MIN_PRIORITY);
    assertThat(deliveredOn.get(new TaskId(3))).isNotSameAs(Thread.currentThread());
  }

  @Test
  void afterSixtyFourOvertakesOneWaitingBulkMessageGoesFirst() throws Exception {
    BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    WorkerConnection c = connect("f", seen, true); // holds its normal-priority deliveries
    c.grant(100);
    WorkerChannel f = channel("f");
    f.assign(List.of(assignment(1, Priority.NORMAL)));
    for (int i = 0; i < 1_000 && held.getCount() == SHARED_THREADS; i++) {
      Thread.sleep(5);
    }
    f.assign(List.of(assignment(2, Priority.NORMAL)));
    int urgentOnes = SerialExecutor.MAX_OVERTAKES + 16;
    for (int i = 0; i < urgentOnes; i++) {
      f.assign(List.of(assignment(1_000 + i, Priority.HIGH)));
    }
    release.countDown();
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < urgentOnes + 2; i++) {
      order.add(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value());
    }
    List<Long> expected = new ArrayList<>(List.of(1L));
    for (int i = 0; i < SerialExecutor.MAX_OVERTAKES; i++) {
      expected.add(1_000L + i);
    }
    expected.add(2L);
    for (int i = SerialExecutor.MAX_OVERTAKES; i < urgentOnes; i++) {
      expected.add(1_000L + i);
    }
    assertThat(order).containsExactlyElementsOf(expected);
  }

  @Test
  void anUrgentAssignmentGetsThroughWhileTheSharedThreadsAreHeld() throws Exception {
    BlockingQueue<Object> normal = new LinkedBlockingQueue<>();
    BlockingQueue<Object> urgent = new LinkedBlockingQueue<>();
    connect("n", normal, false);
    connect("u", urgent, false);
    WorkerChannel n = channel("n");
    WorkerChannel u = channel("u");
    holdTheSharedThreads();

    n.assign(List.of(assignment(1, Priority.NORMAL)));
    u.assign(List.of(assignment(2, Priority.HIGH)));

    Object got = urgent.poll(10, TimeUnit.SECONDS);
    assertThat(got)
        .isInstanceOfSatisfying(
            Assignment.class, a -> assertThat(a.priority()).isEqualTo(Priority.HIGH));
    assertThat(normal.poll(100, TimeUnit.MILLISECONDS)).as("a normal one waits its turn").isNull();
    release.countDown();
    assertThat(normal.poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void theResultOfAnUrgentTaskGetsThroughWhileTheSharedThreadsAreHeld() throws Exception {
    WorkerConnection u = connect("u", new LinkedBlockingQueue<>(), false);
    WorkerConnection n = connect("n", new LinkedBlockingQueue<>(), false);
    channel("u").assign(List.of(assignment(2, Priority.HIGH)));
    channel("n").assign(List.of(assignment(1, Priority.NORMAL)));
    Thread.sleep(100); // both delivered
    for (int i = 0; i < SHARED_THREADS; i++) {
      String id = "holder-" + i;
      holdResults.add(id);
      connect(id, new LinkedBlockingQueue<>(), false).sendResults(List.of(result(id, 1_000 + i)));
    }
    assertThat(held.await(10, TimeUnit.SECONDS)).as("every shared thread held").isTrue();

    n.sendResults(List.of(result("n", 1)));
    u.sendResults(List.of(result("u", 2)));

    List<WorkResult> got = results.get("u").poll(10, TimeUnit.SECONDS);
    assertThat(got).extracting(r -> r.lease().task().value()).containsExactly(2L);
    assertThat(results.get("n").poll(100, TimeUnit.MILLISECONDS)).isNull();
    release.countDown();
    assertThat(results.get("n").poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void deliversOneAtATimeAndInEachSendersOrderPerKindWhenUrgentAndNormalMessagesRace()
      throws Exception {
    int senders = 4;
    int each = 2_000;
    WorkerConnection c = connect("r", new LinkedBlockingQueue<>(), false);
    WorkerChannel ch = channel("r");
    List<Assignment> urgentOnes = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      for (int i = 0; i < each; i += 2) {
        urgentOnes.add(assignment((s + 1) * 1_000_000L + i, Priority.HIGH));
      }
    }
    c.grant(urgentOnes.size());
    ch.assign(urgentOnes); // even tasks urgent: their results take the urgent path when they can
    Thread.sleep(100);
    AtomicInteger inside = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    // urgent results may overtake a sender's earlier normal ones, so order is per sender and kind
    long[][] last = new long[senders][2];
    for (long[] l : last) {
      Arrays.fill(l, -1);
    }
    AtomicBoolean outOfOrder = new AtomicBoolean();
    CountDownLatch all = new CountDownLatch(senders * each);
    BlockingQueue<List<WorkResult>> seen = results.get("r");
    Thread checker =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    for (int k = 0; k < senders * each; k++) {
                      List<WorkResult> b = seen.poll(30, TimeUnit.SECONDS);
                      if (b == null) {
                        return;
                      }
                      for (WorkResult r : b) {
                        long task = r.lease().task().value();
                        int s = (int) (task / 1_000_000L) - 1;
                        int kind = (int) (task % 2); // even: urgent
                        if (task <= last[s][kind]) {
                          outOfOrder.set(true);
                        }
                        last[s][kind] = task;
                        all.countDown();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    overlapWatch =
        () -> { // a delivery that takes a little while, so that overlapping ones would be seen
          if (inside.incrementAndGet() > 1) {
            overlapped.set(true);
          }
          long until = System.nanoTime() + 2_000;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          inside.decrementAndGet();
        };
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      long base = (s + 1) * 1_000_000L;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      c.sendResults(List.of(result("r", base + i)));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(all.await(30, TimeUnit.SECONDS)).as("every result delivered").isTrue();
    checker.join();
    assertThat(overlapped).as("two deliveries for one connection overlapped").isFalse();
    assertThat(outOfOrder).as("a sender's results arrived out of order").isFalse();
  }

  @Test
  void anUrgentMessageOvertakesWhatItsConnectionHasWaitingAndTheRestKeepsItsOrder()
      throws Exception {
    BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
    connect("o", seen, false);
    WorkerChannel o = channel("o");
    holdTheSharedThreads();

    o.assign(List.of(assignment(1, Priority.NORMAL))); // waits on the held shared threads
    o.assign(List.of(assignment(2, Priority.HIGH))); // passes it
    o.revoke(List.of(new TaskId(1))); // waits behind the first
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(2);
    assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).isNull();
    release.countDown();

    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(1);
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(List.of(new TaskId(1)));

    // a normal message sent after an urgent one never passes it
    o.assign(List.of(assignment(3, Priority.HIGH)));
    o.assign(List.of(assignment(4, Priority.NORMAL)));
    o.revoke(List.of(new TaskId(3)));
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(3);
    assertThat(((Assignment) seen.poll(10, TimeUnit.SECONDS)).lease().task().value()).isEqualTo(4);
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(List.of(new TaskId(3)));
  }
}
