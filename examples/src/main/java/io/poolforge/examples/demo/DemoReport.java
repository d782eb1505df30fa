package io.poolforge.examples.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a demo run did, as the summary table shows it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param seconds wall time from the first submission to the last result
 * @param kinds per kind, in submission order
 * @param workers per worker
 * @param verification verified results by method ("cheap-check", "accept-first", ...), plus
 *     "failed" for results that failed verification
 * @param powFound proof-of-work ranges that found a nonce
 * @param genesisFound whether the range around the Bitcoin genesis nonce found exactly it
 * @param rsaChecked RSA signatures that passed result^e mod n == message after the run
 * @param frame the PNG written, or null if the frame was not complete
 * @param merkleRoot the closed epoch's Merkle root in hex, or null without a ledger
 * @param ledgerNote what the ledger line says
 * @param quarantined workers caught cheating, with the reason
 * @since 0.1.0
 */
public record DemoReport(
    double seconds,
    List<KindRow> kinds,
    List<WorkerRow> workers,
    Map<String, Integer> verification,
    int powFound,
    boolean genesisFound,
    int rsaChecked,
    @Nullable Path frame,
    @Nullable String merkleRoot,
    String ledgerNote,
    Map<String, String> quarantined) {
  /** Copies the collections. */
  public DemoReport {
    kinds = List.copyOf(kinds);
    workers = List.copyOf(workers);
    verification = Map.copyOf(verification);
    quarantined = Map.copyOf(quarantined);
  }

  /**
   * Tasks of every kind that completed.
   *
   * @return the count
   */
  public int completed() {
    return kinds.stream().mapToInt(KindRow::completed).sum();
  }

  /**
   * Tasks of every kind that failed.
   *
   * @return the count
   */
  public int failed() {
    return kinds.stream().mapToInt(KindRow::failed).sum();
  }

  /**
   * One kind's line.
   *
   * @param kind the kind id
   * @param submitted tasks submitted
   * @param completed tasks with a verified result
   * @param failed tasks that failed
   * @param costUnits cost units of the completed tasks
   * @param seconds from the first submission to the kind's last result
   * @param detail what the kind's items were (hashes, nonces, signatures, samples)
   */
  public record KindRow(
      String kind,
      int submitted,
      int completed,
      int failed,
      long costUnits,
      double seconds,
      String detail) {}

  /**
   * One worker's line.
   *
   * @param worker the worker id
   * @param backend its backend id
   * @param tasks results accepted from it
   * @param costUnits their cost units
   * @param credits what the ledger credited to its payout address, or null without a ledger
   */
  public record WorkerRow(
      String worker,
      String backend,
      int tasks,
      long costUnits,
      java.math.@Nullable BigInteger credits) {}
}
