package io.poolforge.compute.core.testing;

import io.poolforge.compute.api.TaskId;
import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.ledger.EpochStatement;
import io.poolforge.compute.api.ledger.RewardLedger;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test ledger that counts credit calls per task (in memory, honestly named). */
public final class CountingLedger implements RewardLedger {
  public final Map<TaskId, AtomicInteger> calls = new ConcurrentHashMap<>();
  public final Map<String, BigInteger> totals = new ConcurrentHashMap<>();

  @Override
  public boolean credit(TaskId task, WorkerId worker, String payoutAddress, BigInteger amount) {
    int n = calls.computeIfAbsent(task, t -> new AtomicInteger()).incrementAndGet();
    if (n == 1) {
      totals.merge(payoutAddress, amount, BigInteger::add);
    }
    return n == 1;
  }

  @Override
  public BigInteger forfeit(WorkerId worker, String reason) {
    return BigInteger.ZERO;
  }

  @Override
  public long currentEpoch() {
    return 0;
  }

  @Override
  public EpochStatement closeEpoch() {
    throw new UnsupportedOperationException("not needed by engine tests");
  }

  @Override
  public Optional<EpochStatement> statement(long epoch) {
    return Optional.empty();
  }

  @Override
  public Map<String, BigInteger> totals() {
    return Map.copyOf(totals);
  }
}
