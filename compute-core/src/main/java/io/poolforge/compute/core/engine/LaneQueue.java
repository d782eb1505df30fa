package io.poolforge.compute.core.engine;

import io.poolforge.compute.api.Priority;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The queue of one lane: a level per priority, FIFO within a level, stride-scheduled fair share
 * between submitters within a level, and aging.
 *
 * <p>Aging: a level's effective priority is its own plus one per {@code agingStep} its oldest task
 * has waited, capped at {@link Priority#MAX}; the level with the highest effective priority is
 * served, ties going to the older head. A level served because it aged gives its oldest task, not
 * the fair-share pick. Hence the starvation bound: a task of priority {@code p} that has waited
 * {@code (MAX - p) * agingStep} is served before every task enqueued after it.
 *
 * <p>Each entry sits in two deques (its level's FIFO and its submitter's FIFO); the one it was not
 * taken from drops it lazily. Not thread-safe: the scheduler thread owns it.
 */
final class LaneQueue {
  private static final long STRIDE_BASE = 1L << 20;

  private final Level[] levels = new Level[Priority.LEVELS];
  private final long agingStepMillis;
  private final ToIntFunction<String> weights;
  private int size;

  LaneQueue(long agingStepMillis, ToIntFunction<String> weights) {
    this.agingStepMillis = Math.max(1, agingStepMillis);
    this.weights = weights;
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new Level();
    }
  }

  int size() {
    return size;
  }

  /** Appends a task that waits from {@code nowMillis}. */
  void push(TaskEntry task, long nowMillis) {
    task.enqueuedAtMillis = nowMillis;
    insert(task, false);
  }

  /** Puts a task back at the head of its level, keeping its original wait time. */
  void pushFront(TaskEntry task) {
    insert(task, true);
  }

  private void insert(TaskEntry task, boolean front) {
    if (task.queued) {
      return;
    }
    task.queued = true;
    size++;
    Level level = levels[task.spec.priority()];
    level.size++;
    if (front) {
      level.fifo.addFirst(task);
    } else {
      level.fifo.addLast(task);
    }
    SubmitterQueue s = level.submitter(task.spec.submitter(), weights);
    if (front) {
      s.tasks.addFirst(task);
    } else {
      s.tasks.addLast(task);
    }
    if (!s.active) {
      s.active = true;
      s.pass = Math.max(s.pass, level.virtualTime);
      level.active.add(s);
    }
  }

  /** Forgets a queued task (cancelled or expired); its deque slots are dropped lazily. */
  void remove(TaskEntry task) {
    if (task.queued) {
      task.queued = false;
      size--;
      levels[task.spec.priority()].size--;
    }
  }

  /** The highest effective priority of any queued task, or -1 when empty. */
  int topPriority(long nowMillis) {
    for (int p = Priority.MAX; p >= Priority.MIN; p--) {
      if (levels[p].size > 0) {
        int best = p;
        for (int q = p - 1; q >= Priority.MIN; q--) {
          TaskEntry head = levels[q].oldest();
          if (head != null) {
            best = Math.max(best, effective(q, head, nowMillis));
          }
        }
        return best;
      }
    }
    return -1;
  }

  /** Takes the next task to serve, or null when empty. */
  @Nullable TaskEntry poll(long nowMillis) {
    if (size == 0) {
      return null;
    }
    int bestLevel = -1;
    int bestEffective = -1;
    long bestAge = Long.MAX_VALUE;
    for (int p = Priority.MAX; p >= Priority.MIN; p--) {
      Level level = levels[p];
      if (level.size == 0) {
        continue;
      }
      TaskEntry head = level.oldest();
      if (head == null) {
        continue;
      }
      int eff = effective(p, head, nowMillis);
      if (eff > bestEffective || (eff == bestEffective && head.enqueuedAtMillis < bestAge)) {
        bestLevel = p;
        bestEffective = eff;
        bestAge = head.enqueuedAtMillis;
      }
    }
    if (bestLevel < 0) {
      return null;
    }
    Level level = levels[bestLevel];
    TaskEntry taken;
    if (bestEffective > bestLevel) {
      taken = level.fifo.pollFirst();
    } else {
      taken = level.fairPick();
    }
    if (taken == null) {
      return null;
    }
    taken.queued = false;
    size--;
    level.size--;
    return taken;
  }

  private int effective(int priority, TaskEntry head, long nowMillis) {
    long waited = Math.max(0, nowMillis - head.enqueuedAtMillis);
    long steps = waited / agingStepMillis;
    return (int) Math.min(Priority.MAX, priority + steps);
  }

  private static final class Level {
    final ArrayDeque<TaskEntry> fifo = new ArrayDeque<>();
    final Map<String, SubmitterQueue> submitters = new HashMap<>();
    final PriorityQueue<SubmitterQueue> active =
        new PriorityQueue<>((a, b) -> Long.compare(a.pass, b.pass));
    long virtualTime;
    int size;

    SubmitterQueue submitter(String name, ToIntFunction<String> weights) {
      SubmitterQueue s = submitters.get(name);
      if (s == null) {
        s = new SubmitterQueue(STRIDE_BASE / Math.max(1, weights.applyAsInt(name)));
        submitters.put(name, s);
      }
      return s;
    }

    @Nullable TaskEntry oldest() {
      TaskEntry head;
      while ((head = fifo.peekFirst()) != null && !head.queued) {
        fifo.pollFirst();
      }
      return head;
    }

    @Nullable TaskEntry fairPick() {
      while (true) {
        SubmitterQueue s = active.peek();
        if (s == null) {
          return null;
        }
        TaskEntry head;
        while ((head = s.tasks.peekFirst()) != null && !head.queued) {
          s.tasks.pollFirst();
        }
        if (head == null) {
          active.poll();
          s.active = false;
          continue;
        }
        s.tasks.pollFirst();
        active.poll();
        virtualTime = s.pass;
        s.pass += s.stride;
        active.add(s);
        return head;
      }
    }
  }

  private static final class SubmitterQueue {
    final ArrayDeque<TaskEntry> tasks = new ArrayDeque<>();
    final long stride;
    long pass;
    boolean active;

    SubmitterQueue(long stride) {
      this.stride = stride;
    }
  }
}
