/**
 * JMH suites, simulations and peer baselines; results are written as JMH JSON under
 * benchmarks/results/.
 *
 * @since 0.1.0
 */
package io.poolforge.benchmarks;
