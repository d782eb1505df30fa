package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.Bytes;
import io.poolforge.compute.api.ErrorCode;
import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.TaskSpec;
import io.poolforge.compute.api.TaskStatus;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.LeaseRef;
import io.poolforge.compute.api.transport.WorkResult;
import io.poolforge.compute.api.verify.VerificationSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** Builders of results and task views for the verifier tests. */
final class Fixtures {
  private Fixtures() {}

  static final TaskId TASK = new TaskId(7);

  static WorkerId w(String id) {
    return new WorkerId(id);
  }

  static <I> Verifier.TaskView view(
      TaskKind<I, ?> kind, I input, VerificationSpec spec, int dispatched) {
    TaskSpec ts =
        TaskSpec.builder(kind.id(), kind.inputCodec().encode(input)).verification(spec).build();
    return new Verifier.TaskView(ts, kind, spec, dispatched);
  }

  static <O> WorkResult result(
      String worker, int attempt, String backend, TaskKind<?, O> kind, O output) {
    return new WorkResult(
        new LeaseRef(TASK, attempt),
        w(worker),
        backend,
        kind.outputCodec().encode(output),
        null,
        1000,
        Bytes.EMPTY);
  }

  static WorkResult raw(String worker, int attempt, Bytes output) {
    return new WorkResult(
        new LeaseRef(TASK, attempt), w(worker), "cpu", output, null, 1000, Bytes.EMPTY);
  }

  static WorkResult failed(String worker, int attempt) {
    return new WorkResult(
        new LeaseRef(TASK, attempt),
        w(worker),
        "cpu",
        Bytes.EMPTY,
        new TaskStatus.Failure(ErrorCode.INTERNAL, "device lost"),
        1000,
        Bytes.EMPTY);
  }

  /** A random source that returns scripted doubles, to force spot-check draws in tests. */
  static final class ScriptedRandom implements RandomGenerator {
    private final Deque<Double> doubles = new ArrayDeque<>();

    ScriptedRandom then(double... values) {
      for (double v : values) {
        doubles.add(v);
      }
      return this;
    }

    @Override
    public double nextDouble() {
      if (doubles.isEmpty()) {
        throw new IllegalStateException("no scripted draw left");
      }
      return doubles.poll();
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("only nextDouble is scripted");
    }
  }
}
