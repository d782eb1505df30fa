/**
 * The reward ledger: per-task credits with an efficiency bonus, epochs, OpenZeppelin-compatible
 * Merkle statements, and idempotent settlement of each epoch on every configured chain.
 *
 * <p>Wiring, as the engine or the demo does it:
 *
 * <pre>{@code
 * Settler settler = Settler.builder().store(ledgerStore).chains(List.of(chain))
 *     .listener(events::publish).build();
 * DefaultRewardLedger ledger = DefaultRewardLedger.builder().store(ledgerStore)
 *     .epochLength(Duration.ofHours(1))
 *     .listener(e -> { events.publish(e); settler.onEvent(e); }).build();
 * RewardCalculator rewards = RewardCalculator.builder().build();
 *
 * // for the one accepted result of a task:
 * BigInteger amount = rewards.reward(kind.name(), costUnits, elapsedNanos);
 * ledger.creditAsync(taskId, workerId, payoutAddress, amount); // or credit(...) to wait
 *
 * ledger.scheduleEpochs(scheduler, Duration.ofSeconds(10)); // or ledger.closeEpoch()
 * settler.schedule(scheduler, Duration.ofSeconds(5));       // resends and confirmations
 * }</pre>
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.core.ledger;

import org.jspecify.annotations.NullMarked;
