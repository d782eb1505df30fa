/**
 * The allocation SPI: how the scheduler places tasks onto workers.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.schedule;

import org.jspecify.annotations.NullMarked;
