package io.poolforge.compute.api.verify;

import io.poolforge.compute.api.WorkerId;
import io.poolforge.compute.api.WorkerInfo;

/**
 * Read access to what the pool has learned about its workers. Credibility is kept per worker and
 * per kind: trust earned on an easy kind does not carry over to a hard one.
 *
 * <p>Implementations are thread-safe; reads do not block.
 *
 * @since 0.1.0
 */
public interface Reputation {
  /**
   * The estimated probability that the worker's next result for the kind is correct.
   *
   * @param worker the worker
   * @param kind the kind id
   * @return a credibility in [0, 1]
   */
  double credibility(WorkerId worker, String kind);

  /**
   * Whether the worker is quarantined and receives no work.
   *
   * @param worker the worker
   * @return true if quarantined
   */
  boolean quarantined(WorkerId worker);

  /**
   * A number that changes (grows) each time a worker is newly quarantined, so that a coordinator
   * that has asked about every worker need not ask again until it changes; a coordinator of 10,000
   * workers otherwise asks 200,000 times a second. The default, -1, means "not tracked": the
   * coordinator asks about every worker at every tick.
   *
   * <p>Any thread; must not block.
   *
   * @return a version of the quarantine set, or -1
   * @since 0.1.0
   */
  default long quarantineVersion() {
    return -1;
  }

  /**
   * Tells the reputation that a worker registered (or re-registered), after the coordinator checked
   * its attestation: an implementation may start an attested worker ({@code
   * worker.capabilities().attested()}) with higher credibility. The default does nothing.
   *
   * <p>Called on the thread that accepts the registration (any thread); must not block.
   *
   * @param worker the worker as registered
   * @since 0.1.0
   */
  default void workerRegistered(WorkerInfo worker) {}
}
