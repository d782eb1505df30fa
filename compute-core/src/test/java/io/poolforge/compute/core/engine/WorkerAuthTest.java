package io.poolforge.compute.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.Pool;
import io.poolforge.compute.api.PoolEvent;
import io.poolforge.compute.api.PoolException;
import io.poolforge.compute.api.TaskHandle;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskState;
import io.poolforge.compute.api.transport.Assignment;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.core.Coordinator;
import io.poolforge.compute.core.testing.Eventually;
import io.poolforge.compute.core.testing.ScriptedWorker;
import io.poolforge.compute.core.testing.TestKinds;
import io.poolforge.compute.core.transport.InProcessTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signatures (a forger is cut off), lease ownership and id-to-key binding. */
class WorkerAuthTest {
  private final TestKinds.Echo echo = new TestKinds.Echo();
  private final InProcessTransport transport = InProcessTransport.create();
  private final Pool pool =
      Coordinator.builder().kind(echo).transport(transport.coordinator()).build();
  private final List<PoolEvent> events = new CopyOnWriteArrayList<>();

  {
    pool.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(PoolEvent item) {
                events.add(item);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
  }

  @AfterEach
  void close() {
    pool.close();
    transport.close();
  }

  @Test
  void aForgedResultCutsItsWorkerOffAndAForeignOneIsOnlyIgnored() throws Exception {
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = new ScriptedWorker(transport.worker(), "a", "oa", Set.of("echo")).grant(1);
    ScriptedWorker b = new ScriptedWorker(transport.worker(), "b", "ob", Set.of("echo"));
    Assignment job = a.next();
    // a worker answering a lease it does not hold, with its own valid signature: stale, ignored
    b.send(b.result(job, TestKinds.LONG.encode(2L)));
    Thread.sleep(50);
    assertThat(b.closed).as("a stale result does not cut its worker off").isFalse();
    assertThat(pool.status(h.id()).state()).isEqualTo(TaskState.RUNNING);
    // signed with someone else's key
    a.send(a.signed(job, TestKinds.LONG.encode(2L), null, ScriptedWorker.newKeys()));
    Eventually.until(
        "the forged result is reported",
        () ->
            events.stream()
                .anyMatch(
                    e ->
                        e instanceof PoolEvent.VerificationFailed v
                            && v.task().equals(h.id())
                            && v.worker().equals(a.id)
                            && v.reason().contains("signature")));
    Eventually.until("the forger is cut off", () -> a.closed);
    assertThat(a.closedWith).isNotNull();
    assertThat(a.closedWith.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(a.closedWith.getMessage()).contains(h.id().toString(), "signature", "a");
    assertThat(h.result()).isNotDone();
    Eventually.until(
        "the forger left",
        () ->
            events.stream()
                .anyMatch(e -> e instanceof PoolEvent.WorkerLeft l && l.worker().equals(a.id)));

    b.grant(1);
    Assignment again = b.next();
    assertThat(again.lease().task()).isEqualTo(h.id());
    assertThat(again.lease().attempt()).isEqualTo(2);
    b.answerEcho(again);
    assertThat(h.result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("b");
    assertThat(b.closed).isFalse();
    Eventually.until(
        "completion event",
        () ->
            events.stream()
                .anyMatch(
                    e -> e instanceof PoolEvent.TaskCompleted c && c.result().id().equals(h.id())));
    assertThat(events).anyMatch(e -> e instanceof PoolEvent.TaskVerified);
    assertThat(events).anyMatch(e -> e instanceof PoolEvent.WorkerJoined);
  }

  @Test
  void aForgersOtherLeasesGoToOtherWorkersAndItsLateAnswersAreIgnored() throws Exception {
    TaskHandle h1 = pool.submit(echo, 1L);
    TaskHandle h2 = pool.submit(echo, 2L);
    ScriptedWorker a = new ScriptedWorker(transport.worker(), "a", "oa", Set.of("echo")).grant(2);
    Map<TaskId, Assignment> jobs = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Assignment job = a.next();
      jobs.put(job.lease().task(), job);
    }
    a.send(a.signed(jobs.get(h1.id()), TestKinds.LONG.encode(2L), null, ScriptedWorker.newKeys()));
    Eventually.until("the forger is cut off", () -> a.closed);
    assertThat(a.closedWith.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    a.answerEcho(jobs.get(h2.id())); // its connection is closed: nothing arrives
    ScriptedWorker b = new ScriptedWorker(transport.worker(), "b", "ob", Set.of("echo")).grant(2);
    for (int i = 0; i < 2; i++) {
      Assignment job = b.next();
      assertThat(job.lease().attempt()).isEqualTo(2);
      b.answerEcho(job);
    }
    assertThat(h1.result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("b");
    assertThat(h2.result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("b");
  }

  @Test
  void anAlteredResultInABatchIsRejectedWhileItsSiblingsAreAccepted() throws Exception {
    List<TaskHandle> handles = new ArrayList<>();
    for (long i = 0; i < 4; i++) {
      handles.add(pool.submit(echo, 10 + i));
    }
    ScriptedWorker a = new ScriptedWorker(transport.worker(), "a", "oa", Set.of("echo")).grant(4);
    Map<TaskId, Assignment> jobs = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      Assignment job = a.next();
      jobs.put(job.lease().task(), job);
    }
    List<WorkResult> answers = new ArrayList<>();
    for (TaskHandle h : handles) {
      Assignment job = jobs.get(h.id());
      answers.add(
          new WorkResult(
              job.lease(),
              a.id,
              "test-cpu",
              TestKinds.LONG.encode(TestKinds.LONG.decode(job.payload()) + 1),
              null,
              1000,
              Bytes.EMPTY));
    }
    List<WorkResult> batch = new ArrayList<>(a.signBatch(answers));
    assertThat(batch).extracting(r -> r.proof().size()).containsOnly(4);
    WorkResult genuine = batch.get(1);
    batch.set(
        1,
        new WorkResult(
            genuine.lease(),
            genuine.worker(),
            genuine.backend(),
            TestKinds.LONG.encode(99L),
            null,
            genuine.elapsedNanos(),
            genuine.signature(),
            genuine.proof()));
    a.send(batch);
    for (int i : new int[] {0, 2, 3}) {
      assertThat(handles.get(i).result().get(30, TimeUnit.SECONDS).worker().value()).isEqualTo("a");
    }
    TaskId altered = handles.get(1).id();
    Eventually.until(
        "the altered result is reported",
        () ->
            events.stream()
                .anyMatch(
                    e ->
                        e instanceof PoolEvent.VerificationFailed v
                            && v.task().equals(altered)
                            && v.reason().contains("signature")));
    Eventually.until("the forger is cut off", () -> a.closed);
    assertThat(a.closedWith.getMessage()).contains(altered.toString(), "signature");
    assertThat(handles.get(1).result()).isNotDone();
    assertThat(pool.status(altered).state()).isEqualTo(TaskState.QUEUED);
    ScriptedWorker b = new ScriptedWorker(transport.worker(), "b", "ob", Set.of("echo")).grant(1);
    Assignment retry = b.next();
    assertThat(retry.lease().task()).isEqualTo(altered);
    b.answerEcho(retry);
    assertThat(handles.get(1).result().get(30, TimeUnit.SECONDS).output(echo)).isEqualTo(12L);
  }

  @Test
  void workerIdIsBoundToItsFirstKey() {
    new ScriptedWorker(transport.worker(), "same", "o", Set.of("echo"));
    assertThatThrownBy(() -> new ScriptedWorker(transport.worker(), "same", "o", Set.of("echo")))
        .isInstanceOfSatisfying(
            PoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
              assertThat(e.getMessage()).contains("same", "another public key");
            });
  }

  @Test
  void cancellingARunningTaskRevokesIt() throws Exception {
    TaskHandle h = pool.submit(echo, 1L);
    ScriptedWorker a = new ScriptedWorker(transport.worker(), "a", "oa", Set.of("echo")).grant(1);
    Assignment job = a.next();
    assertThat(pool.cancel(h.id())).isTrue();
    Eventually.until("revoked", () -> a.revoked.contains(h.id()));
    a.answerEcho(job);
    assertThatThrownBy(() -> h.result().get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            PoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }
}
