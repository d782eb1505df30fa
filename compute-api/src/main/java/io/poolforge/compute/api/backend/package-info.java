/**
 * The compute backend SPI: executors for task kinds on CPUs, GPUs and other devices.
 *
 * @since 0.1.0
 */
@NullMarked
package io.poolforge.compute.api.backend;

import org.jspecify.annotations.NullMarked;
