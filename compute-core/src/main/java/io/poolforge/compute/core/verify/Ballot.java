package io.poolforge.compute.core.verify;

import io.poolforge.compute.api.TaskKind;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.transport.WorkResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The valid outputs of one task grouped into clusters of agreeing answers. Homogeneous redundancy:
 * for kinds whose outputs are not bit-exact, outputs are compared only within one backend class
 * (the {@link WorkResult#backend()}), through {@link TaskKind#equivalent}; for exact kinds every
 * output is in one class. Not thread-safe; built per judgement.
 *
 * @param <O> the output type
 */
final class Ballot<O> {
  private static final String ALL = "*";

  private final TaskKind<?, O> kind;
  private final List<Cluster<O>> clusters = new ArrayList<>();

  Ballot(TaskKind<?, O> kind) {
    this.kind = kind;
  }

  void add(WorkResult result, O output) {
    String cls = kind.exactOutputs() ? ALL : result.backend();
    for (Cluster<O> c : clusters) {
      if (c.cls.equals(cls) && kind.equivalent(c.representative, output)) {
        c.members.add(result);
        return;
      }
    }
    Cluster<O> c = new Cluster<>(cls, output);
    c.members.add(result);
    clusters.add(c);
  }

  List<Cluster<O>> clusters() {
    return clusters;
  }

  /** Clusters in the same class as {@code c}, other than {@code c}. */
  List<Cluster<O>> rivals(Cluster<O> c) {
    List<Cluster<O>> out = new ArrayList<>();
    for (Cluster<O> o : clusters) {
      if (o != c && o.cls.equals(c.cls)) {
        out.add(o);
      }
    }
    return out;
  }

  /** Whether two clusters of one class disagree. */
  boolean disagreement() {
    for (Cluster<O> c : clusters) {
      if (!rivals(c).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The largest cluster, the oldest first on ties. */
  Cluster<O> largest() {
    Cluster<O> best = clusters.get(0);
    for (Cluster<O> c : clusters) {
      if (c.members.size() > best.members.size()) {
        best = c;
      }
    }
    return best;
  }

  /**
   * The cluster that has at least {@code quorum} members and more than every rival in its class,
   * the largest such; or null.
   */
  @Nullable Cluster<O> winner(int quorum) {
    @Nullable Cluster<O> best = null;
    for (Cluster<O> c : clusters) {
      int n = c.members.size();
      if (n < quorum) {
        continue;
      }
      boolean strict = true;
      for (Cluster<O> r : rivals(c)) {
        if (r.members.size() >= n) {
          strict = false;
          break;
        }
      }
      if (strict && (best == null || n > best.members.size())) {
        best = c;
      }
    }
    return best;
  }

  /** Workers in clusters of {@code winner}'s class that disagree with it. */
  List<WorkerId> outvoted(Cluster<O> winner) {
    List<WorkerId> out = new ArrayList<>();
    for (Cluster<O> r : rivals(winner)) {
      for (WorkResult m : r.members) {
        out.add(m.worker());
      }
    }
    return out;
  }

  /** One group of agreeing outputs. */
  static final class Cluster<O> {
    final String cls;
    final O representative;
    final List<WorkResult> members = new ArrayList<>();

    Cluster(String cls, O representative) {
      this.cls = cls;
      this.representative = representative;
    }
  }
}
